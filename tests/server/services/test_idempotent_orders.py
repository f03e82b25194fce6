"""`POST /api/orders` with an `Idempotency-Key`: a retry answers with the first order.

Through the real app on PostgreSQL, with the real `stripe` library talking to the stand-in.
"""

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import Asset, IdempotencyKey, Order
from tests.server.conftest import serving
from tests.server.factories import bearer, register
from tests.server.services.support import onboarded_artist, priced_asset
from tests.stripe_standin import StripeStandin

CHECKOUT = "/v1/checkout/sessions"


def order_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Order)) or 0


def wall(db: Session, standin: StripeStandin) -> Asset:
    return priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")


def checkouts(standin: StripeStandin) -> int:
    return sum(1 for method, path, _ in standin.calls if (method, path) == ("POST", CHECKOUT))


def test_the_same_key_answers_the_same_order_and_makes_one(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    asset = wall(db, standin)
    headers = {**bearer(register(client)["token"]), "Idempotency-Key": str(uuid.uuid4())}
    body = {"items": [{"asset_id": str(asset.id), "quantity": 2}]}

    first = client.post("/api/orders", json=body, headers=headers)
    again = client.post("/api/orders", json=body, headers=headers)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert order_count(db) == 1 and checkouts(standin) == 1
    listed = client.get("/api/orders", headers=headers).json()["orders"]
    assert [o["id"] for o in listed] == [first.json()["order_id"]]
    # Keys belong to one account: another buyer's same key is another order.
    other = {**bearer(register(client)["token"]), "Idempotency-Key": headers["Idempotency-Key"]}
    theirs = client.post("/api/orders", json=body, headers=other)
    assert theirs.status_code == 201 and theirs.json()["order_id"] != first.json()["order_id"]


def test_a_key_reused_for_another_request_is_refused_and_changes_nothing(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    asset = wall(db, standin)
    headers = {**bearer(register(client)["token"]), "Idempotency-Key": "checkout-1"}
    made = client.post(
        "/api/orders", json={"items": [{"asset_id": str(asset.id), "quantity": 1}]}, headers=headers
    )
    assert made.status_code == 201, made.text

    other = client.post(
        "/api/orders", json={"items": [{"asset_id": str(asset.id), "quantity": 3}]}, headers=headers
    )

    assert other.status_code == 422, other.text
    assert other.json()["code"] == "idempotency_key_reused"
    assert order_count(db) == 1 and checkouts(standin) == 1


def test_a_key_is_forgotten_after_24_hours(
    client: TestClient, db: Session, standin: StripeStandin, clock: ManualClock
) -> None:
    asset = wall(db, standin)
    headers = {**bearer(register(client)["token"]), "Idempotency-Key": "daily"}
    body = {"items": [{"asset_id": str(asset.id), "quantity": 1}]}
    first = client.post("/api/orders", json=body, headers=headers)
    gone = {**bearer(register(client)["token"]), "Idempotency-Key": "never-again"}
    assert client.post("/api/orders", json=body, headers=gone).status_code == 201
    clock.advance(timedelta(hours=23, minutes=59))
    within = client.post("/api/orders", json=body, headers=headers)
    clock.advance(timedelta(minutes=2))

    later = client.post("/api/orders", json=body, headers=headers)

    assert within.json() == first.json()
    assert later.status_code == 201 and later.json()["order_id"] != first.json()["order_id"]
    assert order_count(db) == 3
    # Expired keys do not pile up: the other buyer's went with this claim.
    assert db.scalars(select(IdempotencyKey.key)).all() == ["daily"]


def test_a_failed_attempt_releases_its_key_so_the_retry_can_succeed(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    asset = wall(db, standin)
    headers = {**bearer(register(client)["token"]), "Idempotency-Key": str(uuid.uuid4())}
    body = {"items": [{"asset_id": str(asset.id), "quantity": 1}]}
    standin.fail_next(CHECKOUT, 1)

    failed = client.post("/api/orders", json=body, headers=headers)
    retried = client.post("/api/orders", json=body, headers=headers)

    assert failed.status_code == 502 and failed.json()["code"] == "payments_unavailable"
    assert retried.status_code == 201, retried.text
    assert client.post("/api/orders", json=body, headers=headers).json() == retried.json()
    statuses = {
        o["id"]: o["status"] for o in client.get("/api/orders", headers=headers).json()["orders"]
    }
    assert statuses[retried.json()["order_id"]] == "pending"
    assert sorted(statuses.values()) == ["cancelled", "pending"]


def test_an_unusable_key_is_refused_and_makes_no_order(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    asset = wall(db, standin)
    token = register(client)["token"]
    body = {"items": [{"asset_id": str(asset.id), "quantity": 1}]}

    for bad in ("", "x" * 256, "two words"):
        answer = client.post(
            "/api/orders", json=body, headers={**bearer(token), "Idempotency-Key": bad}
        )
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["code"] == "validation_error"
    assert order_count(db) == 0


def test_a_twin_sent_while_the_first_runs_makes_no_second_order(
    app: FastAPI, db: Session, standin: StripeStandin
) -> None:
    """The twin arrives while the first request is talking to Stripe: it is told to retry
    (409 with Retry-After), and its retry gets the first request's order."""
    asset = wall(db, standin)
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        token = http.post(
            "/api/auth/register",
            json={"email": "twin@example.com", "password": "a long enough password"},
        ).json()["token"]
        headers = {**bearer(token), "Idempotency-Key": "one-click"}
        body = {"items": [{"asset_id": str(asset.id), "quantity": 1}]}
        twins: list[httpx.Response] = []

        def send_twin(method: str, path: str) -> None:
            if (method, path) == ("POST", CHECKOUT) and not twins:
                twins.append(httpx.post(f"{url}/api/orders", json=body, headers=headers))

        standin.state.observers.append(send_twin)
        first = http.post("/api/orders", json=body, headers=headers)
        retried = http.post("/api/orders", json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert twins[0].status_code == 409 and twins[0].json()["code"] == "idempotency_key_in_use"
    assert twins[0].headers["retry-after"] == "1"
    assert retried.status_code == 201 and retried.json() == first.json()
    assert order_count(db) == 1 and checkouts(standin) == 1
