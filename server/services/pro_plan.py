"""The Pro plan: a subscription Checkout, and the webhooks that switch an account's plan.

`checkout.session.completed` in subscription mode makes the account `pro` (10 tables) and
unlocks its read-only tables; the subscription ending (`customer.subscription.deleted`, or
`updated` to a lapsed status) makes it free again and marks the tables past the free limit
read-only (services/table_limits.py). Nothing is ever deleted.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import GameTable, User
from server.errors import ApiError
from server.jobs import queue
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.services import owners, stripe_gateway, table_limits
from server.services.order_pricing import to_minor_units
from server.settings import Settings
from terrain_protocol.errors import ErrorCode
from terrain_protocol.orders import PlanOut, ProCheckoutResponse
from terrain_protocol.plans import TablePlan, UserPlan

LAPSED = frozenset({"canceled", "unpaid", "incomplete_expired"})
LIVE = frozenset({"active", "trialing"})
CHECK_KIND = "pro_check"


def _limit(user: User, settings: Settings) -> int:
    plan = TablePlan.PRO if user.plan == UserPlan.PRO else TablePlan.USER_FREE
    return owners.table_limit(plan, settings)


def plan_of(db: Session, user: User, settings: Settings) -> PlanOut:
    read_only = db.scalars(
        select(GameTable.id)
        .where(
            GameTable.user_id == user.id,
            GameTable.status == "active",
            GameTable.read_only.is_(True),
        )
        .order_by(GameTable.created_at, GameTable.id)
    ).all()
    return PlanOut(
        plan=UserPlan(user.plan).value,
        table_limit=_limit(user, settings),
        read_only_tables=list(read_only),
    )


def checkout(db: Session, user: User, settings: Settings) -> ProCheckoutResponse:
    if user.plan == UserPlan.PRO:
        raise ApiError(409, ErrorCode.ALREADY_PRO, "This account is already on the Pro plan.")
    user_id, email, customer = user.id, user.email, user.stripe_customer_id
    db.commit()  # no transaction stays open while Stripe is called
    if settings.stripe_pro_price_id:
        item: dict[str, Any] = {"price": settings.stripe_pro_price_id, "quantity": 1}
    else:
        item = {
            "quantity": 1,
            "price_data": {
                "currency": "usd",
                "unit_amount": to_minor_units(settings.pro_monthly_price),
                "recurring": {"interval": "month"},
                "product_data": {"name": "Terrain Builder Pro"},
            },
        }
    metadata = {"kind": "pro", "user_id": str(user_id)}
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [item],
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
        "client_reference_id": str(user_id),
        "success_url": settings.checkout_success_url,
        "cancel_url": settings.checkout_cancel_url,
    }
    if customer:
        params["customer"] = customer
    else:
        params["customer_email"] = email
    try:
        session = stripe_gateway.client(settings).v1.checkout.sessions.create(params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise stripe_gateway.unavailable(exc) from exc
    assert session.url is not None
    return ProCheckoutResponse(checkout_url=session.url, session_id=session.id)


def subscribed(db: Session, session: dict[str, Any], settings: Settings, now: datetime) -> None:
    """A Pro Checkout completed: the account is Pro and all its tables editable."""
    metadata = session.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    try:
        user_id = uuid.UUID(str(metadata.get("user_id") or session.get("client_reference_id")))
    except ValueError:
        return
    user = db.scalar(select(User).where(User.id == user_id).with_for_update(key_share=True))
    if user is None:
        return
    subscription = session.get("subscription")
    customer = session.get("customer")
    user.plan = UserPlan.PRO.value
    user.stripe_subscription_id = subscription if isinstance(subscription, str) else None
    if isinstance(customer, str):
        user.stripe_customer_id = customer
    user.updated_at = now
    table_limits.rebalance(db, user.id, _limit(user, settings))
    if user.stripe_subscription_id:  # events can come out of order: ask Stripe afterwards
        payload = {"user_id": str(user.id), "subscription_id": user.stripe_subscription_id}
        queue.enqueue(db, CHECK_KIND, payload, f"pro-check:{user.stripe_subscription_id}")


def check_subscription(job: Claimed, ctx: WorkerContext) -> None:
    """A worker job after an upgrade: if Stripe says the subscription already ended (its
    `deleted` event came before the Checkout's), the account goes back to free."""
    subscription_id = str(job.payload["subscription_id"])
    subscription = stripe_gateway.client(ctx.settings).v1.subscriptions.retrieve(subscription_id)
    if subscription.status not in LAPSED:
        return
    with ctx.sessionmaker() as db:
        lapsed = {"id": subscription_id, "status": subscription.status}
        subscription_changed(db, lapsed, ctx.settings, datetime.now(UTC))
        db.commit()


def subscription_changed(
    db: Session, subscription: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """The subscription's status moved: lapsed → free (tables past the limit read-only)."""
    subscription_id = subscription.get("id")
    status = subscription.get("status")
    if not isinstance(subscription_id, str) or not isinstance(status, str) or status not in LAPSED:
        return  # a live subscription was made Pro by its Checkout; nothing else to do
    user = db.scalar(
        select(User)
        .where(User.stripe_subscription_id == subscription_id)
        .with_for_update(key_share=True)
    )
    if user is None:
        return  # an older subscription, already replaced or ended
    user.plan = UserPlan.USER_FREE.value
    user.stripe_subscription_id = None
    user.updated_at = now
    table_limits.rebalance(db, user.id, _limit(user, settings))
