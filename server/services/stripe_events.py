"""Stripe webhooks: verified on the raw body, each event handled once, in one transaction.

The event's id is inserted into `webhook_events` first, in the same transaction as its
effects. A repeat delivery finds the id taken and changes nothing; a concurrent repeat waits
on the first one's row lock and then finds it taken; a failed handling rolls the id back with
everything else, so Stripe's next attempt is handled afresh.

A body that is signed but could never be a Stripe event (nested deeper than `MAX_DEPTH`, text
PostgreSQL cannot store, fields of the wrong type that a handler trips on) answers 400 and
changes nothing, never 500: Stripe retries 5xx answers for days.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import WebhookEvent
from server.errors import ApiError
from server.services import connect, order_payments, pro_plan, refunds, stripe_gateway
from server.settings import Settings
from terrain_protocol.errors import ErrorCode
from terrain_protocol.wire import unstorable

log = logging.getLogger(__name__)

#: Stripe's events nest a handful of levels; far deeper is not an event.
MAX_DEPTH = 32
#: What a handler raises on a field of an unexpected type: the event is refused, not a 500.
MALFORMED = (TypeError, AttributeError, ValueError, KeyError, ArithmeticError)

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
    secret = settings.stripe_webhook_secret
    if not secret:
        raise stripe_gateway.not_configured()
    if not signature:
        raise _refused("The Stripe-Signature header is missing.")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature, secret, settings.stripe_webhook_tolerance_seconds
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError):
        raise _refused("The webhook signature does not match its body.") from None
    try:
        event = json.loads(text)
    except (ValueError, RecursionError):
        raise ApiError(
            400, ErrorCode.INVALID_JSON, "The event is not JSON, or is nested too deeply."
        ) from None
    problem = _unusable(event)
    if problem:
        raise _malformed(f"The event {problem}.")
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    ):
        raise _malformed("The event has no id, type or object.")
    return event


def _malformed(message: str) -> ApiError:
    return ApiError(400, ErrorCode.VALIDATION_ERROR, message)


def _unusable(event: object) -> str | None:
    """Why a parsed event could not be stored or handled, or None (iterative: no recursion)."""
    pending: list[tuple[object, int]] = [(event, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, str):
            reason = unstorable(value)
            if reason:
                return f"holds text that {reason}"
        elif isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None


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
    handler = HANDLERS.get(event["type"])
    try:
        if checkout is not None:
            checkout(db, (event["id"], event["type"]), obj, settings, now)
        if handler is not None:
            handler(db, obj, settings, now)
    except MALFORMED:
        db.rollback()
        log.exception("Stripe event %s (%s) could not be handled", event["id"], event["type"])
        raise _malformed(
            f"The {event['type']} event has fields of the wrong type; nothing was changed."
        ) from None
    db.execute(update(WebhookEvent).where(WebhookEvent.id == event["id"]).values(processed_at=now))
    db.commit()
    return True
