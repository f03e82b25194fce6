"""A payment counts only when Stripe's session is the order's, for its amount and currency;
any other is kept as a case for an admin (`terrain-server payment-cases`), never paid out."""

from typing import Any

import stripe
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import ActivityLog, Asset, Job, Payment, PaymentCase
from server.settings import Settings
from tests.server.factories import bearer, register
from tests.server.services.support import (
    WEBHOOK_SECRET,
    buy,
    onboarded_artist,
    order_status,
    priced_asset,
    run_worker,
)
from tests.server.test_migrations import terrain_server
from tests.stripe_standin import StripeStandin, deliver_event


def _count(db: Session, model: type, *conditions: object) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)  # type: ignore[arg-type]


def _order(client: TestClient, db: Session, standin: StripeStandin) -> tuple[Any, ...]:
    """A 24.99 USD order (19.99 + 5.00 shipping): headers, order, its session, the asset."""
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "19.99")
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(wall, 1)])
    session = standin.session_for_order(order["order_id"])
    assert (session["amount_total"], session["currency"]) == (2499, "usd")
    return headers, order, session, wall


def _nothing_paid(
    client: TestClient, db: Session, headers: dict[str, str], order: dict[str, Any], wall: Asset
) -> None:
    assert order_status(client, headers, str(order["order_id"])) == "pending"
    assert _count(db, Payment) == 0
    assert _count(db, Job, Job.kind.in_(["payout", "order_email"])) == 0
    db.refresh(wall)
    assert wall.sale_count == 0


def _cases(database_url: str) -> str:
    listed = terrain_server(database_url, "payment-cases")
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_one_yen_on_a_24_99_dollar_order_pays_nothing_and_opens_one_case(
    database_url: str,
    client: TestClient,
    db: Session,
    standin: StripeStandin,
    settings: Settings,
) -> None:
    headers, order, session, wall = _order(client, db, standin)
    assert _cases(database_url).strip() == "No open payment cases."
    with standin.state.lock:  # Stripe's session says 1 JPY was paid
        standin.state.get(session["id"]).update(amount_total=1, currency="jpy")
    event = standin.complete_checkout(session["id"])

    first = deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)
    again = deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)
    run_worker(settings)

    assert first.status_code == 200 and again.status_code == 200  # Stripe stops retrying
    _nothing_paid(client, db, headers, order, wall)
    assert standin.transfers() == []
    assert _count(db, PaymentCase) == 1
    listed = _cases(database_url)
    assert str(order["order_number"]) in listed and event["id"] in listed
    assert "amount and currency differ" in listed
    assert "expected: 2499 usd" in listed and "received: 1 jpy" in listed
    assert listed.count(session["id"]) == 2  # expected and received: the same session
    refused = db.scalars(
        select(ActivityLog.details).where(ActivityLog.action == "payment.refused")
    ).all()
    assert [r["event_id"] for r in refused] == [event["id"]]  # once, for the admin's eyes

    # The admin refunds it in Stripe's dashboard: acknowledged, the order is left alone.
    refunded = standin.refund(event["data"]["object"]["payment_intent"])
    answer = deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)
    assert answer.json() == {"handled": True}
    _nothing_paid(client, db, headers, order, wall)


def test_another_currency_is_a_case_but_the_same_one_in_capitals_pays(
    database_url: str, client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order, session, wall = _order(client, db, standin)
    with standin.state.lock:
        standin.state.get(session["id"])["currency"] = "eur"
    euros = standin.complete_checkout(session["id"])

    deliver_event("http://testserver", euros, WEBHOOK_SECRET, client=client)

    _nothing_paid(client, db, headers, order, wall)
    listed = _cases(database_url)
    assert "currency differ" in listed and "amount" not in listed.splitlines()[1]
    assert "received: 2499 eur" in listed

    capitals = dict(euros, id=euros["id"] + "_usd")
    capitals["data"] = {"object": dict(euros["data"]["object"], currency="USD")}
    paid = deliver_event("http://testserver", capitals, WEBHOOK_SECRET, client=client)

    assert paid.json() == {"handled": True}
    assert order_status(client, headers, str(order["order_id"])) == "paid"


def test_a_session_that_is_not_the_orders_pays_nothing(
    database_url: str, client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order, session, wall = _order(client, db, standin)
    other = stripe.StripeClient(standin.api_key, base_addresses={"api": standin.url})
    line = {"currency": "usd", "unit_amount": 2499, "product_data": {"name": "Wall"}}
    stray = other.v1.checkout.sessions.create(
        {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": line}],
            "metadata": {"order_id": str(order["order_id"])},
            "success_url": "https://example.test/done",
        }
    )
    event = standin.complete_checkout(stray.id)

    response = deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)

    assert response.status_code == 200
    _nothing_paid(client, db, headers, order, wall)
    listed = _cases(database_url)
    assert "session id differ" in listed and stray.id in listed and session["id"] in listed
    assert "expected: 2499 usd" in listed and "received: 2499 usd" in listed
