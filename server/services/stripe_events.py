"""Stripe webhooks: verified on the raw body, each event handled once, in one transaction.

The event's id is inserted into `webhook_events` first, in the same transaction as its
effects. A repeat delivery finds the id taken and changes nothing; a concurrent repeat waits
on the first one's row lock and then finds it taken; a failed handling rolls the id back with
everything else, so Stripe's next attempt is handled afresh.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import WebhookEvent
from server.errors import ApiError
from server.services import connect, order_payments, pro_plan, refunds
from server.settings import Settings
from terrain_protocol.errors import ErrorCode

Handler = Callable[[Session, dict[str, Any], Settings, datetime], None]
#: Handlers that also need the event's (id, type): a payment case names its event.
EventHandler = Callable[[Session, tuple[str, str], dict[str, Any], Settings, datetime], None]

CHECKOUT_HANDLERS: dict[str, EventHandler] = {
    "checkout.session.completed": order_payments.session_completed,
    "checkout.session.async_payment_succeeded": order_payments.async_payment_succeeded,
    "checkout.session.async_payment_failed": order_payments.session_ended,
    "checkout.session.expired": order_payments.session_ended,
}
HANDLERS: dict[str, Handler] = {
    "charge.refunded": refunds.charge_refunded,
    "account.updated": connect.account_updated,
    "customer.subscription.updated": pro_plan.subscription_changed,
    "customer.subscription.deleted": pro_plan.subscription_changed,
}


def _refused(message: str) -> ApiError:
    return ApiError(400, ErrorCode.INVALID_SIGNATURE, message)


def verify(payload: bytes, signature: str | None, settings: Settings) -> dict[str, Any]:
    """The event in `payload` if Stripe's signature over these exact bytes holds, else 400."""
    if not signature:
        raise _refused("The Stripe-Signature header is missing.")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text,
            signature,
            settings.stripe_webhook_secret,
            settings.stripe_webhook_tolerance_seconds,
        )
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError):
        raise _refused("The webhook signature does not match its body.") from None
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    ):
        raise ApiError(400, ErrorCode.VALIDATION_ERROR, "The event has no id, type or object.")
    return event


def handle(db: Session, event: dict[str, Any], settings: Settings, now: datetime) -> bool:
    """Apply `event` once; False when it was handled before (nothing changes)."""
    first = db.scalar(
        insert(WebhookEvent)
        .values(id=event["id"], type=str(event["type"])[:100])
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(WebhookEvent.id)
    )
    if first is None:
        db.rollback()
        return False
    obj = event["data"]["object"]
    checkout = CHECKOUT_HANDLERS.get(event["type"])
    if checkout is not None:
        checkout(db, (event["id"], event["type"]), obj, settings, now)
    handler = HANDLERS.get(event["type"])
    if handler is not None:
        handler(db, obj, settings, now)
    db.execute(update(WebhookEvent).where(WebhookEvent.id == event["id"]).values(processed_at=now))
    db.commit()
    return True
