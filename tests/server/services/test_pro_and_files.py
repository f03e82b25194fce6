"""The Pro plan's subscription, read-only tables after it ends, onboarding, buyers' files."""

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import Asset, Job, User
from server.jobs import queue
from server.settings import Settings
from server.storage_factory import storage_for
from tests.server.factories import bearer, register, register_artist
from tests.server.services.support import (
    WEBHOOK_SECRET,
    buy,
    onboarded_artist,
    pay,
    priced_asset,
    run_worker,
)
from tests.server.test_migrations import terrain_server
from tests.stripe_standin import StripeStandin, deliver_event


def _deliver(client: TestClient, event: dict[str, object]) -> None:
    response = deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)
    assert response.status_code == 200, response.text


def _table(client: TestClient, headers: dict[str, str], name: str, clock: ManualClock) -> str:
    clock.advance(timedelta(minutes=1))  # tables are made one after another
    response = client.post("/api/tables", json={"name": name}, headers=headers)
    assert response.status_code == 201, response.text
    table_id: str = response.json()["table"]["id"]
    return table_id


def test_pro_upgrade_then_cancellation_leaves_extra_tables_read_only(
    client: TestClient, standin: StripeStandin, clock: ManualClock
) -> None:
    headers = bearer(register(client)["token"])
    free_tables = [_table(client, headers, f"Free {n}", clock) for n in range(3)]
    assert client.post("/api/tables", json={"name": "Fourth"}, headers=headers).status_code == 402

    checkout = client.post("/api/account/pro/checkout", headers=headers)
    assert checkout.status_code == 200, checkout.text
    session = next(s for s in standin.sessions() if s["id"] == checkout.json()["session_id"])
    assert session["mode"] == "subscription"
    _deliver(client, standin.complete_checkout(session["id"]))

    plan = client.get("/api/account/plan", headers=headers).json()
    assert (plan["plan"], plan["table_limit"]) == ("pro", 10)
    assert client.post("/api/account/pro/checkout", headers=headers).json()["code"] == "already_pro"
    pro_tables = [_table(client, headers, f"Pro {n}", clock) for n in range(3)]

    _deliver(client, standin.cancel_subscription(session["subscription"]))

    plan = client.get("/api/account/plan", headers=headers).json()
    assert (plan["plan"], plan["table_limit"]) == ("user_free", 3)
    assert plan["read_only_tables"] == pro_tables
    mine = client.get("/api/tables/mine", headers=headers).json()["tables"]
    assert len(mine) == 6  # nothing deleted
    assert {t["id"] for t in mine if t["read_only"]} == set(pro_tables)
    refused = client.patch(f"/api/tables/{pro_tables[0]}", json={"name": "X"}, headers=headers)
    assert refused.status_code == 402 and refused.json()["code"] == "table_read_only"
    assert client.get(f"/api/tables/{pro_tables[0]}", headers=headers).status_code == 200
    allowed = client.patch(f"/api/tables/{free_tables[0]}", json={"name": "Y"}, headers=headers)
    assert allowed.status_code == 200
    push = client.post(
        "/api/sync/push",
        json={
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {
                    "mutation_id": 1,
                    "kind": "update_table",
                    "table_id": pro_tables[1],
                    "fields": {"name": "Sneaky"},
                }
            ],
        },
        headers=headers,
    )
    assert push.status_code == 200, push.text
    assert [r["code"] for r in push.json()["rejections"]] == ["table_read_only"]
    name = client.get(f"/api/tables/{pro_tables[1]}", headers=headers).json()["table"]["name"]
    assert name == "Pro 1"

    # Archiving an editable table frees a slot: the oldest read-only one becomes editable.
    assert client.delete(f"/api/tables/{free_tables[0]}", headers=headers).status_code == 200
    plan = client.get("/api/account/plan", headers=headers).json()
    assert plan["read_only_tables"] == pro_tables[1:]


def test_a_cancellation_delivered_before_the_upgrade_still_ends_pro(
    client: TestClient, standin: StripeStandin, settings: Settings
) -> None:
    headers = bearer(register(client)["token"])
    session_id = client.post("/api/account/pro/checkout", headers=headers).json()["session_id"]
    completed = standin.complete_checkout(session_id)
    ended = standin.cancel_subscription(completed["data"]["object"]["subscription"])

    _deliver(client, ended)  # Stripe's deliveries come in any order
    _deliver(client, completed)
    run_worker(settings)  # the upgrade asks Stripe how the subscription stands now

    assert client.get("/api/account/plan", headers=headers).json()["plan"] == "user_free"


def test_an_artist_gets_one_connect_account_and_an_onboarding_link(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    artist = register_artist(client, db)
    headers = bearer(artist["token"])

    first = client.post("/api/artists/me/stripe/onboard", headers=headers)
    again = client.post("/api/artists/me/stripe/onboard", headers=headers)

    assert first.status_code == 200, first.text
    assert first.json()["url"].startswith("https://")
    assert first.json()["stripe_account_id"] == again.json()["stripe_account_id"]
    assert len(standin.accounts()) == 1 and first.json()["onboarding_complete"] is False
    _deliver(client, standin.finish_onboarding(first.json()["stripe_account_id"]))
    user = db.get(User, uuid.UUID(artist["user"]["id"]))
    db.refresh(user)
    assert user is not None and user.stripe_onboarding_complete
    customer = bearer(register(client)["token"])
    refused = client.post("/api/artists/me/stripe/onboard", headers=customer)
    assert refused.status_code == 403


def test_a_paid_orders_buyer_downloads_its_files(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    storage_for(settings).put_bytes("originals/wall.stl", b"solid wall\nendsolid wall\n")
    wall.file_ref, wall.original_filename = "originals/wall.stl", "wall.stl"
    db.commit()
    buyer, other = bearer(register(client)["token"]), bearer(register(client)["token"])
    order = buy(client, buyer, [(wall, 1)])
    url = f"/api/orders/{order['order_id']}/files/{wall.id}"

    assert client.get(url, headers=buyer).json()["code"] == "order_not_paid"
    pay(client, standin, str(order["order_id"]))
    listed = client.get(f"/api/orders/{order['order_id']}", headers=buyer).json()["order"]
    assert [f["download_url"] for f in listed["files"]] == [url]
    owned = client.get("/api/orders/owned-assets", headers=buyer).json()
    assert owned == {"purchased": [str(wall.id)], "uploaded": []}

    response = client.get(url, headers=buyer)

    assert response.status_code == 200 and response.content.startswith(b"solid wall")
    assert client.get(url, headers=other).status_code == 404
    db.expire_all()
    refreshed = db.get(Asset, wall.id)
    assert refreshed is not None and refreshed.download_count == 1 and refreshed.sale_count == 1


def test_parked_jobs_and_their_errors_are_shown_to_admins(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    buyer = bearer(register(client)["token"])
    order = buy(client, buyer, [(wall, 1)])
    pay(client, standin, str(order["order_id"]))
    standin.fail_next("/v1/transfers", 100)
    short = settings.model_copy(update={"payment_max_attempts": 2})
    for _ in range(3):
        run_worker(short)
    admin = register(client)
    user = db.get(User, uuid.UUID(admin["user"]["id"]))
    assert user is not None
    user.role = "admin"
    db.commit()

    parked = client.get("/api/admin/jobs", headers=bearer(admin["token"]))

    assert parked.status_code == 200, parked.text
    jobs = parked.json()["jobs"]
    assert [(j["kind"], j["attempts"]) for j in jobs] == [("payout", 2)]
    assert "APIError" in jobs[0]["last_error"]
    assert client.get("/api/admin/jobs", headers=buyer).status_code == 403


def test_operators_list_parked_jobs_and_queue_one_again(
    database_url: str, db: Session, settings: Settings
) -> None:
    queue.enqueue(db, "payout", {"order_item_id": str(uuid.uuid4())}, "payout:parked")
    db.commit()
    job = db.scalar(select(Job).where(Job.idempotency_key == "payout:parked"))
    assert job is not None
    queue.give_up(db, job.id, "InvalidRequestError: No such destination")
    db.commit()

    listed = terrain_server(database_url, "jobs")
    again = terrain_server(database_url, "jobs", "--retry", str(job.id))
    missing = terrain_server(database_url, "jobs", "--retry", str(job.id))

    assert listed.returncode == 0, listed.stderr
    assert "payout" in listed.stdout and "No such destination" in listed.stdout
    assert again.returncode == 0 and f"Job {job.id} queued again" in again.stdout
    assert missing.returncode != 0 and "No parked job" in missing.stderr
    db.refresh(job)
    assert (job.status, job.attempts) == ("pending", 0)
