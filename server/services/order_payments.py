"""What a Checkout Session's events do to an order: paid, still waiting, or cancelled.

Paying an order records the charge in `payments` and queues, in the same transaction, one
payout per artist line and the confirmation e-mail; the worker does the talking to Stripe
and SMTP after the commit. A session whose id, amount or currency is not the order's changes
nothing on the order and opens a payment case instead (services/payment_cases.py).
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.db.models import Asset, Order, OrderItem, Payment
from server.jobs import queue
from server.services import payment_cases, pro_plan
from server.services.orders import can_move
from server.settings import Settings

PAYOUT = "payout"
ORDER_EMAIL = "order_email"


#: A Stripe event as the handlers here need it: (id, type).
EventRef = tuple[str, str]


def _order(db: Session, session: dict[str, Any]) -> Order | None:
    """The order a session was made for, locked for the rest of the transaction."""
    metadata = session.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    raw = metadata.get("order_id") or session.get("client_reference_id")
    try:
        order_id = uuid.UUID(str(raw))
    except ValueError:
        order_id = None
    query = select(Order).with_for_update()
    if order_id is not None:
        return db.scalar(query.where(Order.id == order_id))
    session_id = session.get("id")
    if isinstance(session_id, str):
        return db.scalar(query.where(Order.checkout_session_id == session_id))
    return None


def session_completed(
    db: Session, event: EventRef, session: dict[str, Any], settings: Settings, now: datetime
) -> None:
    if session.get("mode") == "subscription":
        pro_plan.subscribed(db, session, settings, now)
        return
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    _settle(db, event, session, now, paid=paid)


def async_payment_succeeded(
    db: Session, event: EventRef, session: dict[str, Any], settings: Settings, now: datetime
) -> None:
    _settle(db, event, session, now, paid=True)


def _settle(
    db: Session, event: EventRef, session: dict[str, Any], now: datetime, *, paid: bool
) -> None:
    """Record the session on its order, and pay the order when `paid` — only if the session
    is the order's, for its amount and currency; a payment that is not becomes a case."""
    order = _order(db, session)
    if order is None:
        return
    problem = payment_cases.mismatch(order, payment_cases.received(session))
    if problem is None and paid and order.status == "cancelled":
        problem = "the order was cancelled before it was paid"
    if problem is not None:
        if paid:
            payment_cases.record(db, order, session, event, problem, now)
        return
    _record_details(order, session)
    if paid:
        mark_paid(db, order, session, now)


def session_ended(
    db: Session, event: EventRef, session: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """Expired or the delayed payment failed: a pending order is cancelled; others stay.
    Only the order's own session can cancel it."""
    if session.get("mode") == "subscription":
        return
    order = _order(db, session)
    if order is None or session.get("id") != order.checkout_session_id:
        return
    if can_move(order.status, "cancelled"):
        order.status = "cancelled"
        order.updated_at = now


def _record_details(order: Order, session: dict[str, Any]) -> None:
    intent = session.get("payment_intent")
    if isinstance(intent, str):
        order.payment_intent_id = intent
    collected = session.get("collected_information")
    shipping = session.get("shipping_details") or (
        collected.get("shipping_details") if isinstance(collected, dict) else None
    )
    if isinstance(shipping, dict) and isinstance(shipping.get("address"), dict):
        address = shipping["address"]
        order.shipping_name = _text(shipping.get("name"), 200)
        order.shipping_address_line1 = _text(address.get("line1"), 200)
        order.shipping_address_line2 = _text(address.get("line2"), 200)
        order.shipping_city = _text(address.get("city"), 100)
        order.shipping_state = _text(address.get("state"), 100)
        order.shipping_postal_code = _text(address.get("postal_code"), 20)
        order.shipping_country = _text(address.get("country"), 2)


def _text(value: object, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def mark_paid(db: Session, order: Order, session: dict[str, Any], now: datetime) -> None:
    """Paid: only for a session already checked against the order (see `_settle`)."""
    if not can_move(order.status, "paid"):
        return
    order.status = "paid"
    order.paid_at = now
    order.updated_at = now
    db.add(
        Payment(
            user_id=order.user_id,
            order_id=order.id,
            amount=order.total,
            currency=order.currency,
            payment_method="card",
            status="completed",
            stripe_payment_intent_id=order.payment_intent_id,
            details={"checkout_session_id": session.get("id")},
        )
    )
    items = db.scalars(select(OrderItem).where(OrderItem.order_id == order.id)).all()
    for item in items:
        payload = {"order_item_id": str(item.id), "artist_id": str(item.artist_id)}
        queue.enqueue(db, PAYOUT, payload, f"payout:{item.id}")
        db.execute(
            update(Asset)
            .where(Asset.id == item.asset_id)
            .values(sale_count=Asset.sale_count + item.quantity)
        )
    queue.enqueue(db, ORDER_EMAIL, {"order_id": str(order.id)}, f"order-email:{order.id}")
