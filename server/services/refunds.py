"""`charge.refunded`: record the money returned and queue the artists' share back.

Stripe reports the charge's total refunded so far; what is new since the last event is
recorded as one `refund` payment, and each artist line gets a reversal job for its share of
that amount (the line's payout × refunded / order total, in cents). The order becomes
`refunded` when all of it is, else `partially_refunded`.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Order, OrderItem, Payment
from server.errors import ApiError
from server.jobs import queue
from server.services import payment_cases
from server.services.order_pricing import cents
from server.services.orders import can_move
from server.settings import Settings
from terrain_protocol.errors import ErrorCode

REVERSAL = "transfer_reversal"


def charge_refunded(db: Session, charge: dict[str, Any], settings: Settings, now: datetime) -> None:
    intent = charge.get("payment_intent")
    if not isinstance(intent, str):
        return
    order = db.scalar(select(Order).where(Order.payment_intent_id == intent).with_for_update())
    if order is None:
        order = _order_of_metadata(db, charge)
        if payment_cases.is_case_payment(db, intent):
            return  # a payment that never counted for its order (a case): nothing to undo
        if order is not None and order.status == "pending":
            # Delivered before the payment event: refuse, so Stripe delivers it again later.
            raise ApiError(
                409, ErrorCode.ORDER_NOT_PAID, "The order's payment is not recorded yet."
            )
        return
    amount_refunded = charge.get("amount_refunded")
    if not isinstance(amount_refunded, int) or isinstance(amount_refunded, bool):
        return  # not a refund Stripe could have sent: nothing to record
    refunded = Decimal(amount_refunded) / 100
    recorded = db.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.order_id == order.id, Payment.payment_method == "refund"
        )
    )
    new = refunded - Decimal(recorded or 0)
    if new <= 0:
        return
    refund_id = _latest_refund_id(charge)
    key = refund_id or f"{charge.get('id')}:{amount_refunded}"
    db.add(
        Payment(
            user_id=order.user_id,
            order_id=order.id,
            amount=new,
            currency=order.currency,
            payment_method="refund",
            status="completed",
            stripe_payment_intent_id=intent,
            stripe_charge_id=str(charge.get("id") or "")[:255] or None,
            stripe_refund_id=refund_id,
            details={"refunded_total": str(refunded)},
        )
    )
    whole = refunded >= order.total or bool(charge.get("refunded"))
    status = "refunded" if whole else "partially_refunded"
    if can_move(order.status, status):
        order.status = status
        order.updated_at = now
    for item in db.scalars(select(OrderItem).where(OrderItem.order_id == order.id)):
        share = cents(item.artist_commission_amount * new / order.total) if order.total else None
        if share and share > 0:
            payload = {"order_item_id": str(item.id), "refund": key, "amount": str(share)}
            queue.enqueue(db, REVERSAL, payload, f"reversal:{item.id}:{key}")


def _order_of_metadata(db: Session, charge: dict[str, Any]) -> Order | None:
    metadata = charge.get("metadata")
    if not isinstance(metadata, dict):
        return None
    try:
        order_id = uuid.UUID(str(metadata.get("order_id")))
    except ValueError:
        return None
    return db.get(Order, order_id)


def _latest_refund_id(charge: dict[str, Any]) -> str | None:
    listed = charge.get("refunds")
    refunds = listed.get("data") if isinstance(listed, dict) else None
    if not isinstance(refunds, list):
        return None
    ids = [str(r["id"]) for r in refunds if isinstance(r, dict) and isinstance(r.get("id"), str)]
    return ids[-1][:255] if ids else None
