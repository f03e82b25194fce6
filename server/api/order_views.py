"""Orders as the protocol's response models."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.api.catalogue_views import artist_names, file_urls
from server.db.models import Asset, Order, OrderItem
from server.services import orders
from terrain_protocol.orders import (
    PAID_ORDER_STATUSES,
    OrderFile,
    OrderLineOut,
    OrderOut,
    ShippingAddress,
)


def orders_out(db: Session, rows: Sequence[Order]) -> list[OrderOut]:
    items = orders.items_of(db, [order.id for order in rows])
    asset_ids = {item.asset_id for item in items}
    assets = (
        {a.id: a for a in db.scalars(select(Asset).where(Asset.id.in_(asset_ids)))}
        if asset_ids
        else {}
    )
    names = artist_names(db, list(assets.values()))
    by_order: dict[object, list[OrderItem]] = {}
    for item in items:
        by_order.setdefault(item.order_id, []).append(item)
    return [_order_out(o, by_order.get(o.id, []), assets, names) for o in rows]


def _order_out(
    order: Order,
    items: list[OrderItem],
    assets: dict[uuid.UUID, Asset],
    names: dict[object, str | None],
) -> OrderOut:
    lines = [
        OrderLineOut(
            id=item.id,
            asset_id=item.asset_id,
            name=assets[item.asset_id].name,
            artist_id=item.artist_id,
            artist_name=names.get(item.artist_id),
            thumbnail_url=file_urls(assets[item.asset_id])[0],
            quantity=item.quantity,
            unit_price=item.unit_price,
            subtotal=item.subtotal,
        )
        for item in items
    ]
    files = []
    if order.status in PAID_ORDER_STATUSES:
        files = [
            OrderFile(
                asset_id=item.asset_id,
                name=assets[item.asset_id].name,
                filename=assets[item.asset_id].original_filename or f"{item.asset_id}",
                download_url=f"/api/orders/{order.id}/files/{item.asset_id}",
            )
            for item in items
            if assets[item.asset_id].file_ref
        ]
    return OrderOut(
        id=order.id,
        order_number=order.order_number,
        status=order.status,
        currency=order.currency,
        lines=lines,
        subtotal=order.subtotal,
        shipping_cost=order.shipping_cost,
        tax=order.tax,
        total=order.total,
        shipping=_shipping(order),
        checkout_url=order.checkout_url if order.status == "pending" else None,
        created_at=order.created_at,
        paid_at=order.paid_at,
        files=files,
    )


def _shipping(order: Order) -> ShippingAddress | None:
    if not (order.shipping_name and order.shipping_address_line1 and order.shipping_city):
        return None
    return ShippingAddress.model_construct(
        name=order.shipping_name,
        line1=order.shipping_address_line1,
        line2=order.shipping_address_line2,
        city=order.shipping_city,
        state=order.shipping_state,
        postal_code=order.shipping_postal_code or "",
        country=order.shipping_country or "",
    )
