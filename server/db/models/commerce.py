"""Orders, their lines, money movements, and the Stripe events already handled.

Every amount is NUMERIC(10,2) read as Decimal. Order lines are rows, never a JSON column,
and artist payouts are rows in `payments` with `payment_method = 'stripe_transfer'`.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of, updated_at, uuid_pk

ORDER_STATUSES = ["pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"]
PAYMENT_METHODS = ["card", "stripe_transfer", "refund", "transfer_reversal"]
PAYMENT_STATUSES = ["pending", "completed", "failed"]
CASE_STATUSES = ["open", "closed"]


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(one_of("status", ORDER_STATUSES), name="status"),
        CheckConstraint(
            "subtotal >= 0 AND shipping_cost >= 0 AND tax >= 0 AND total >= 0",
            name="amounts_not_negative",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    order_number: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    customer_email: Mapped[str] = mapped_column(String(254))
    shipping_name: Mapped[str | None] = mapped_column(String(200))
    shipping_address_line1: Mapped[str | None] = mapped_column(String(200))
    shipping_address_line2: Mapped[str | None] = mapped_column(String(200))
    shipping_city: Mapped[str | None] = mapped_column(String(100))
    shipping_state: Mapped[str | None] = mapped_column(String(100))
    shipping_postal_code: Mapped[str | None] = mapped_column(String(20))
    shipping_country: Mapped[str | None] = mapped_column(String(2))
    subtotal: Mapped[Decimal] = mapped_column(server_default=text("0"))
    shipping_cost: Mapped[Decimal] = mapped_column(server_default=text("0"))
    tax: Mapped[Decimal] = mapped_column(server_default=text("0"))
    total: Mapped[Decimal] = mapped_column(server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="usd")
    status: Mapped[str] = mapped_column(String(30), server_default="pending", index=True)
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    #: Stripe Checkout's page for the order, shown to the buyer while it is pending.
    checkout_url: Mapped[str | None] = mapped_column(String(2000))
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    paid_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class OrderItem(Base):
    """One line of an order, priced by the server when the order was made."""

    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0 AND subtotal >= 0", name="amounts_not_negative"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    asset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assets.id"), index=True)
    quantity: Mapped[int]
    unit_price: Mapped[Decimal]
    subtotal: Mapped[Decimal]
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    artist_commission_amount: Mapped[Decimal] = mapped_column(server_default=text("0"))
    created_at: Mapped[datetime] = created_at()


class Payment(Base):
    """A movement of money: a customer's charge, an artist payout, a refund or a reversal."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(one_of("payment_method", PAYMENT_METHODS), name="payment_method"),
        CheckConstraint(one_of("status", PAYMENT_STATUSES), name="status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), index=True)
    order_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("order_items.id"))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), server_default="usd")
    payment_method: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255))
    stripe_charge_id: Mapped[str | None] = mapped_column(String(255))
    stripe_transfer_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_reversal_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class WebhookEvent(Base):
    """A Stripe event already handled; its id makes redelivery a no-op."""

    __tablename__ = "webhook_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    processed_at: Mapped[datetime | None]


class PaymentCase(Base):
    """A payment Stripe reported that does not match its order (session, amount or currency).

    The order stays unpaid and nothing is paid out; an admin looks at the open cases with
    `terrain-server payment-cases`. One row per Stripe event (`event_id` is unique). Amounts
    are integer minor units, as Stripe sends them (cents; whole yen for JPY).
    """

    __tablename__ = "payment_cases"
    __table_args__ = (CheckConstraint(one_of("status", CASE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    problem: Mapped[str] = mapped_column(String(500))
    expected_session_id: Mapped[str | None] = mapped_column(String(255))
    received_session_id: Mapped[str | None] = mapped_column(String(255))
    expected_amount: Mapped[int] = mapped_column(BigInteger)
    received_amount: Mapped[int | None] = mapped_column(BigInteger)
    expected_currency: Mapped[str] = mapped_column(String(3))
    received_currency: Mapped[str | None] = mapped_column(String(10))
    payment_intent_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    created_at: Mapped[datetime] = created_at()
