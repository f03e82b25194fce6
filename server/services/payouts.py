"""Worker jobs that move artists' money: a transfer per paid line, a reversal per refund.

Each job reads what it needs and closes its transaction, calls Stripe with an idempotency key
derived from the line (so a retry after a lost answer replays the first transfer instead of
paying twice), then records the result in `payments` in a new transaction. The unique
`stripe_transfer_id` / `stripe_reversal_id` make a second record of one answer impossible.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import Job, Order, OrderItem, Payment, User
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.jobs.runner import RetryLater
from server.services import stripe_gateway
from server.services.order_pricing import to_minor_units

#: How long a payout to an artist without a finished Connect account waits before looking
#: again; `account.updated` makes their waiting payouts due at once.
ONBOARDING_WAIT_S = 6 * 3600.0
PAYOUT_LEASE = timedelta(minutes=5)


def transfer_key(order_item_id: object) -> str:
    return f"payout-{order_item_id}"


def _transfer_of(db: Session, item_id: uuid.UUID) -> Payment | None:
    return db.scalar(
        select(Payment).where(
            Payment.order_item_id == item_id, Payment.payment_method == "stripe_transfer"
        )
    )


def pay_out(job: Claimed, ctx: WorkerContext) -> None:
    item_id = uuid.UUID(job.payload["order_item_id"])
    with ctx.sessionmaker() as db:
        item = db.get(OrderItem, item_id)
        if item is None or _transfer_of(db, item_id) is not None:
            return
        order = db.get(Order, item.order_id)
        artist = db.get(User, item.artist_id)
        assert order is not None and artist is not None
        if order.status in ("refunded", "cancelled") or item.artist_commission_amount <= 0:
            return  # nothing is owed
        if not artist.stripe_account_id or not artist.stripe_onboarding_complete:
            raise RetryLater(
                ONBOARDING_WAIT_S, "the artist has not finished Stripe onboarding", count=False
            )
        params = {
            "amount": to_minor_units(item.artist_commission_amount),
            "currency": order.currency,
            "destination": artist.stripe_account_id,
            "transfer_group": order.order_number,
            "metadata": {"order_id": str(order.id), "order_item_id": str(item.id)},
        }
        record = Payment(
            user_id=artist.id,
            order_id=order.id,
            order_item_id=item.id,
            amount=item.artist_commission_amount,
            currency=order.currency,
            payment_method="stripe_transfer",
            status="completed",
            stripe_payment_intent_id=order.payment_intent_id,
        )
    client = stripe_gateway.client(ctx.settings)
    transfer = client.v1.transfers.create(
        params,  # type: ignore[arg-type]
        stripe_gateway.options(transfer_key(item_id)),  # type: ignore[arg-type]
    )
    with ctx.sessionmaker() as db:
        _insert_payment(db, record, stripe_transfer_id=transfer.id)
        db.commit()


def reverse(job: Claimed, ctx: WorkerContext) -> None:
    item_id = uuid.UUID(job.payload["order_item_id"])
    refund_key = str(job.payload["refund"])
    wanted = Decimal(job.payload["amount"])
    with ctx.sessionmaker() as db:
        transfer = _transfer_of(db, item_id)
        if transfer is None:
            if _payout_still_pending(db, item_id):
                raise RetryLater(300, "the payout has not been sent yet", count=False)
            return  # never paid out: nothing to take back
        done = db.scalars(
            select(Payment).where(
                Payment.order_item_id == item_id, Payment.payment_method == "transfer_reversal"
            )
        ).all()
        if any((p.details or {}).get("refund") == refund_key for p in done):
            return
        left = transfer.amount - sum((p.amount for p in done), Decimal("0"))
        amount = min(wanted, left)
        if amount <= 0:
            return
        transfer_id = transfer.stripe_transfer_id
        assert transfer_id is not None
        record = Payment(
            user_id=transfer.user_id,
            order_id=transfer.order_id,
            order_item_id=item_id,
            amount=amount,
            currency=transfer.currency,
            payment_method="transfer_reversal",
            status="completed",
            details={"refund": refund_key, "transfer": transfer_id},
        )
    client = stripe_gateway.client(ctx.settings)
    reversal = client.v1.transfers.reversals.create(
        transfer_id,
        {"amount": to_minor_units(amount), "metadata": {"refund": refund_key}},
        stripe_gateway.options(f"reversal-{item_id}-{refund_key}"),  # type: ignore[arg-type]
    )
    with ctx.sessionmaker() as db:
        _insert_payment(db, record, stripe_reversal_id=reversal.id)
        db.commit()


def _payout_still_pending(db: Session, item_id: uuid.UUID) -> bool:
    status = db.scalar(select(Job.status).where(Job.idempotency_key == f"payout:{item_id}"))
    return status in ("pending", "running")


def _insert_payment(db: Session, record: Payment, **stripe_ids: str) -> None:
    values = {
        column.key: getattr(record, column.key)
        for column in Payment.__table__.columns
        if getattr(record, column.key, None) is not None
    }
    values.update(stripe_ids)
    db.execute(insert(Payment).values(**values).on_conflict_do_nothing())
