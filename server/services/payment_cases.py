"""Payments that do not match their order, kept for an admin instead of being paid out.

A Checkout Session's payment counts only when its session id is the order's, its
`amount_total` (integer minor units) is the order's total and its currency the order's. When
one differs, the order stays unpaid, no payout, e-mail or sale is recorded, and a case is
written here, once per Stripe event; the webhook still answers 200, because Stripe would
otherwise deliver the event again for days. `terrain-server payment-cases` lists the open
ones; an admin then refunds the payment in Stripe's dashboard (its `charge.refunded` is
acknowledged without touching the order) or settles with the buyer.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import Order, PaymentCase
from server.services import activity
from server.services.order_pricing import to_minor_units

#: PostgreSQL's BIGINT: a larger "amount" is recorded as missing rather than refused.
_MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Received:
    """What the event says was paid, each value None when missing or of the wrong type."""

    session_id: str | None
    amount: int | None
    currency: str | None


def received(session: dict[str, Any]) -> Received:
    session_id, amount, currency = (
        session.get("id"),
        session.get("amount_total"),
        session.get("currency"),
    )
    return Received(
        session_id if isinstance(session_id, str) else None,
        amount
        if isinstance(amount, int) and not isinstance(amount, bool) and abs(amount) <= _MAX_BIGINT
        else None,
        currency if isinstance(currency, str) else None,
    )


def mismatch(order: Order, got: Received) -> str | None:
    """Why this payment is not the order's, or None when session, amount and currency match."""
    problems = []
    if order.checkout_session_id is None or got.session_id != order.checkout_session_id:
        problems.append("session id")
    if got.amount != to_minor_units(order.total):
        problems.append("amount")
    if got.currency is None or got.currency.lower() != order.currency.lower():
        problems.append("currency")
    return " and ".join(problems) + " differ from the order's" if problems else None


def record(
    db: Session,
    order: Order,
    session: dict[str, Any],
    event: tuple[str, str],
    problem: str,
    now: datetime,
) -> None:
    """Open a case for `event` (id, type); a second one for the same event is not written."""
    got = received(session)
    intent = session.get("payment_intent")
    opened = db.execute(
        insert(PaymentCase)
        .values(
            event_id=event[0],
            event_type=event[1][:100],
            order_id=order.id,
            problem=problem[:500],
            expected_session_id=order.checkout_session_id,
            received_session_id=got.session_id[:255] if got.session_id else None,
            expected_amount=to_minor_units(order.total),
            received_amount=got.amount,
            expected_currency=order.currency,
            received_currency=got.currency[:10] if got.currency else None,
            payment_intent_id=intent[:255] if isinstance(intent, str) else None,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(PaymentCase.id)
    ).first()
    if opened is not None:  # the activity log shows the refusal once, as the case list does
        activity.record(
            db,
            "payment.refused",
            user_id=order.user_id,
            entity=("order", order.id),
            details={"problem": problem[:500], "event_id": event[0], "case_id": opened[0]},
        )


def is_case_payment(db: Session, payment_intent_id: str) -> bool:
    """Whether a payment intent belongs to a case (its refund has no order to change)."""
    found = db.scalar(
        select(PaymentCase.id).where(PaymentCase.payment_intent_id == payment_intent_id).limit(1)
    )
    return found is not None


@dataclass(frozen=True)
class CaseRow:
    case: PaymentCase
    order_number: str


def open_cases(db: Session) -> Sequence[CaseRow]:
    rows = db.execute(
        select(PaymentCase, Order.order_number)
        .join(Order, Order.id == PaymentCase.order_id)
        .where(PaymentCase.status == "open")
        .order_by(PaymentCase.created_at, PaymentCase.id)
    ).all()
    return [CaseRow(case, number) for case, number in rows]
