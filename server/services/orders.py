"""Orders: written from server prices, then handed to Stripe Checkout outside any transaction.

`create` runs in three steps so no database transaction is open while Stripe is called:
write the order and its lines (commit), ask Stripe for a Checkout Session, record the
session's id and page (commit). If Stripe fails, the order is cancelled and the buyer told.
"""

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

import stripe
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Order, OrderItem, User
from server.errors import ApiError
from server.services import order_pricing, stripe_gateway
from server.services.order_pricing import PricedOrder, to_minor_units
from server.settings import Settings
from terrain_protocol.errors import ErrorCode
from terrain_protocol.orders import CreateOrderRequest, CreateOrderResponse, ShippingAddress

#: Which status may follow which: an order never moves back (a late `expired` after a
#: `completed` changes nothing).
FORWARD: dict[str, frozenset[str]] = {
    "pending": frozenset({"paid", "cancelled"}),
    "paid": frozenset({"fulfilled", "partially_refunded", "refunded"}),
    "fulfilled": frozenset({"partially_refunded", "refunded"}),
    "partially_refunded": frozenset({"partially_refunded", "refunded"}),
    "cancelled": frozenset(),
    "refunded": frozenset(),
}

#: Countries Checkout collects shipping addresses for.
SHIPPING_COUNTRIES = ["US", "CA", "GB", "IE", "DE", "FR", "NL", "BE", "AT", "ES", "IT", "AU", "NZ"]


def can_move(current: str, new: str) -> bool:
    return new in FORWARD.get(current, frozenset())


def not_found() -> ApiError:
    # Other people's orders answer exactly like missing ones.
    return ApiError(404, ErrorCode.ORDER_NOT_FOUND, "Order not found.")


def new_order_number(now: datetime) -> str:
    return f"TB-{now:%Y%m%d}-{secrets.token_hex(4).upper()}"


def create(
    db: Session, user: User, request: CreateOrderRequest, settings: Settings, now: datetime
) -> Order:
    """Price, write, commit; then a Checkout Session; then record it. Returns the order."""
    priced = order_pricing.price(db, request.items, settings, user.id)
    order = _write(db, user, priced, request.shipping, now)
    db.commit()  # the order exists before Stripe hears of it; no transaction stays open
    try:
        session = _checkout_session(order, priced, settings)
    except stripe.StripeError as exc:
        order.status = "cancelled"
        db.commit()
        raise stripe_gateway.unavailable(exc) from exc
    order.checkout_session_id = session.id
    order.checkout_url = session.url
    db.commit()
    return order


def created(order: Order) -> CreateOrderResponse:
    """What the buyer is told about an order just handed to Checkout."""
    assert order.checkout_url is not None
    return CreateOrderResponse(
        order_id=order.id, order_number=order.order_number, checkout_url=order.checkout_url
    )


def _write(
    db: Session,
    user: User,
    priced: PricedOrder,
    shipping: ShippingAddress | None,
    now: datetime,
) -> Order:
    order = Order(
        id=uuid.uuid4(),
        order_number=new_order_number(now),
        user_id=user.id,
        customer_email=user.email,
        subtotal=priced.subtotal,
        shipping_cost=priced.shipping_cost,
        tax=priced.tax,
        total=priced.total,
        status="pending",
        created_at=now,
        updated_at=now,
    )
    if shipping is not None:
        order.shipping_name = shipping.name
        order.shipping_address_line1 = shipping.line1
        order.shipping_address_line2 = shipping.line2
        order.shipping_city = shipping.city
        order.shipping_state = shipping.state
        order.shipping_postal_code = shipping.postal_code
        order.shipping_country = shipping.country
    db.add(order)
    for line in priced.lines:
        db.add(
            OrderItem(
                order_id=order.id,
                asset_id=line.asset.id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                subtotal=line.subtotal,
                artist_id=line.artist.id,
                artist_commission_amount=line.artist_commission_amount,
            )
        )
    db.flush()
    return order


def _checkout_session(
    order: Order, priced: PricedOrder, settings: Settings
) -> stripe.checkout.Session:
    line_items: list[dict[str, object]] = [
        {
            "quantity": line.quantity,
            "price_data": {
                "currency": order.currency,
                "unit_amount": to_minor_units(line.unit_price),
                "product_data": {
                    "name": line.asset.name,
                    "metadata": {"asset_id": str(line.asset.id)},
                },
            },
        }
        for line in priced.lines
    ]
    if priced.tax > 0:
        line_items.append(
            {
                "quantity": 1,
                "price_data": {
                    "currency": order.currency,
                    "unit_amount": to_minor_units(priced.tax),
                    "product_data": {"name": "Tax"},
                },
            }
        )
    metadata = {"kind": "order", "order_id": str(order.id), "order_number": order.order_number}
    params: dict[str, object] = {
        "mode": "payment",
        "line_items": line_items,
        "metadata": metadata,
        "client_reference_id": str(order.id),
        "customer_email": order.customer_email,
        "success_url": settings.checkout_success_url,
        "cancel_url": settings.checkout_cancel_url,
        "payment_intent_data": {"transfer_group": order.order_number, "metadata": metadata},
        "shipping_address_collection": {"allowed_countries": SHIPPING_COUNTRIES},
        "shipping_options": [
            {
                "shipping_rate_data": {
                    "type": "fixed_amount",
                    "display_name": "Standard shipping",
                    "fixed_amount": {
                        "amount": to_minor_units(priced.shipping_cost),
                        "currency": order.currency,
                    },
                }
            }
        ],
    }
    client = stripe_gateway.client(settings)
    return client.v1.checkout.sessions.create(
        params,  # type: ignore[arg-type]
        stripe_gateway.options(f"checkout-{order.id}"),  # type: ignore[arg-type]
    )


def for_buyer(db: Session, user: User, order_id: uuid.UUID) -> Order:
    order = db.get(Order, order_id)
    if order is None or order.user_id != user.id:
        raise not_found()
    return order


def list_for_buyer(db: Session, user: User, limit: int = 100) -> Sequence[Order]:
    return db.scalars(
        select(Order)
        .where(Order.user_id == user.id)
        .order_by(Order.created_at.desc(), Order.id)
        .limit(limit)
    ).all()


def items_of(db: Session, order_ids: Sequence[uuid.UUID]) -> Sequence[OrderItem]:
    return db.scalars(
        select(OrderItem)
        .where(OrderItem.order_id.in_(list(order_ids)))
        .order_by(OrderItem.created_at, OrderItem.id)
    ).all()
