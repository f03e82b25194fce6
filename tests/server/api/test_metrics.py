"""`/metrics` for an operator's Prometheus: closed unless a token is configured; requests and
latencies by route template and status; job queues, parked payouts and readiness read from
PostgreSQL at scrape time."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.db.models import Job
from server.jobs import queue
from server.settings import Settings

TOKEN = "scrape-" + "x" * 24
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def app(settings: Settings, clock: ManualClock, clean_database: None) -> FastAPI:
    return create_app(settings.model_copy(update={"metrics_token": SecretStr(TOKEN)}), clock)


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_without_a_configured_token_metrics_do_not_exist(
    settings: Settings, clock: ManualClock, clean_database: None
) -> None:
    with TestClient(create_app(settings, clock)) as unconfigured:
        response = unconfigured.get("/metrics", headers=SCRAPER)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token-of-some-length", f"Basic {TOKEN}", TOKEN]
)
def test_a_scraper_without_the_token_is_refused(
    client: TestClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert "terrain_http_requests" not in response.text


def test_a_short_token_is_refused_at_start_up(settings: Settings) -> None:
    with pytest.raises(ValidationError, match="metrics_token"):
        Settings(database_url=settings.database_url, metrics_token="short")


def test_metrics_are_not_in_the_api_schema(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/api/artists/{uuid.uuid4()}").status_code == 404
    assert client.get("/ready").status_code == 200
    assert client.get("/no/such/page/42").status_code == 404

    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    artist = {"method": "GET", "route": "/api/artists/{artist_id}"}
    assert grew("terrain_http_requests_total", **artist, status="404") == 3
    assert grew("terrain_http_request_duration_seconds_count", **artist) == 3
    assert grew("terrain_http_request_duration_seconds_sum", **artist) > 0
    assert grew("terrain_http_requests_total", method="GET", route="/ready", status="200") == 1
    # Unknown paths share one series, so a scan of random URLs cannot grow the metrics.
    assert grew("terrain_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert not any("/no/such" in str(labels) for _, labels in after)


def test_job_queues_and_parked_payouts_are_read_from_the_database(
    client: TestClient, db: Session
) -> None:
    for n in range(3):
        queue.enqueue(db, "payout", {"order_item_id": str(uuid.uuid4())}, f"payout:due{n}")
    queue.enqueue(db, "payout", {"order_item_id": "later"}, "payout:later", delay_s=3600)
    queue.enqueue(db, "transfer_reversal", {"order_item_id": "x"}, "reversal:parked")
    db.commit()
    parked = db.scalar(select(Job.id).where(Job.idempotency_key == "reversal:parked"))
    assert parked is not None
    queue.give_up(db, parked, "InvalidRequestError: No such transfer")
    db.commit()

    samples = scrape(client)

    assert value(samples, "terrain_jobs", kind="payout", state="pending") == 4
    assert value(samples, "terrain_jobs_due", kind="payout") == 3
    assert value(samples, "terrain_jobs_oldest_due_seconds", kind="payout") >= 0
    assert value(samples, "terrain_jobs", kind="transfer_reversal", state="failed") == 1
    assert value(samples, "terrain_payouts_parked", kind="transfer_reversal") == 1
    assert value(samples, "terrain_payouts_parked", kind="payout") == 0
    # Every kind the worker runs has its series, queued or not.
    assert ("terrain_jobs_due", frozenset({("kind", "process_asset")})) in samples
    assert value(samples, "terrain_ready") == 1
    assert value(samples, "terrain_database_up") == 1


@pytest.fixture
def unmigrated(settings: Settings, db: Session) -> Iterator[None]:
    """The database one migration behind this code, as during a rolling upgrade."""
    from sqlalchemy import text

    current = db.scalar(text("SELECT version_num FROM alembic_version"))
    db.execute(text("UPDATE alembic_version SET version_num = 'an_older_one'"))
    db.commit()
    try:
        yield
    finally:
        db.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.commit()


def test_readiness_shows_a_pending_migration(client: TestClient, unmigrated: None) -> None:
    samples = scrape(client)

    assert value(samples, "terrain_ready") == 0
    assert value(samples, "terrain_database_up") == 1
