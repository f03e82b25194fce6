"""Orders, payments, payouts, refunds and an operator's retry each leave an activity row,
written in the transaction that made the change (webhooks through the real `stripe` library
and the stand-in, payouts by the real worker loop)."""

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import ActivityLog, Job, Order
from server.settings import Settings
from tests.server.factories import bearer, register
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


def activity(db: Session, action: str) -> list[ActivityLog]:
    db.expire_all()
    query = select(ActivityLog).where(ActivityLog.action == action).order_by(ActivityLog.id)
    return list(db.scalars(query))


def test_an_order_its_payment_payouts_and_refund_are_recorded(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    artist = onboarded_artist(db, standin, "Ana")
    wall = priced_asset(db, artist, "Wall", "4.50")
    buyer = register(client)
    order = buy(client, bearer(buyer["token"]), [(wall, 2)])
    order_id = str(order["order_id"])

    [created] = activity(db, "order.created")
    assert (str(created.user_id), created.entity_type, created.entity_id) == (
        buyer["user"]["id"],
        "order",
        order_id,
    )
    assert created.client_address == "testclient"
    assert created.details is not None
    assert (created.details["order_number"], created.details["total"]) == (
        order["order_number"],
        "14.50",  # 2 x 4.50, shipping 5.00 + 0.50 for the second piece
    )

    pay(client, standin, order_id)
    [paid] = activity(db, "payment.paid")
    assert (str(paid.user_id), paid.entity_id) == (buyer["user"]["id"], order_id)
    assert paid.details is not None and Decimal(paid.details["amount"]) == Decimal("14.50")

    run_worker(settings)
    [sent] = activity(db, "payout.sent")
    assert (sent.user_id, sent.entity_id, sent.client_address) == (artist.id, order_id, None)
    assert sent.details is not None and sent.details["stripe_transfer_id"].startswith("tr_")

    intent = db.scalar(select(Order.payment_intent_id).where(Order.id == order["order_id"]))
    assert intent is not None
    refunded = standin.refund(intent)
    deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)
    deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)  # a repeat
    run_worker(settings)

    [refund] = activity(db, "refund.recorded")
    assert refund.entity_id == order_id
    assert refund.details is not None and Decimal(refund.details["amount"]) == Decimal("14.50")
    assert len(activity(db, "payout.reversed")) == 1


def test_an_expired_checkout_records_the_cancelled_order(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    buyer = register(client)
    order = buy(client, bearer(buyer["token"]), [(wall, 1)])
    expired = standin.expire_checkout(standin.session_for_order(order["order_id"])["id"])

    deliver_event("http://testserver", expired, WEBHOOK_SECRET, client=client)

    [cancelled] = activity(db, "order.cancelled")
    assert (str(cancelled.user_id), cancelled.entity_id) == (
        buyer["user"]["id"],
        str(order["order_id"]),
    )
    assert cancelled.details == {"order_number": order["order_number"]}
    assert activity(db, "payment.paid") == []


def test_a_parked_payout_and_an_operators_retry_are_recorded(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings, database_url: str
) -> None:
    artist = onboarded_artist(db, standin, "Ana")
    wall = priced_asset(db, artist, "Wall", "4.50")
    order = buy(client, bearer(register(client)["token"]), [(wall, 1)])
    pay(client, standin, str(order["order_id"]))
    standin.fail_next("/v1/transfers", 1)

    run_worker(settings.model_copy(update={"payment_max_attempts": 1}))

    [failed] = activity(db, "payout.failed")
    job = db.scalar(select(Job).where(Job.kind == "payout"))
    assert job is not None and job.status == "failed"
    assert (failed.user_id, failed.entity_type, failed.entity_id) == (artist.id, "job", str(job.id))
    assert failed.details is not None and "APIError" in failed.details["error"]
    assert activity(db, "payout.sent") == []

    retried = terrain_server(database_url, "jobs", "--retry", str(job.id))

    assert retried.returncode == 0, retried.stderr
    [by_operator] = activity(db, "admin.job_retried")
    assert by_operator.entity_id == str(job.id)
    assert by_operator.details is not None and by_operator.details["by"]
