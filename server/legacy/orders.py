"""Legacy `orders` (their JSON `items`) -> orders, order_items; `stripe_transfers` -> payments.

Order lines take the model's artist and that artist's commission rate at import time. Amounts
stay Decimal and the legacy totals are kept as they were; where the lines do not add up to them,
the report says by how much.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select

from server.db.models import Asset, Order, OrderItem, Payment, User
from server.db.models.commerce import PAYMENT_STATUSES
from server.legacy.context import Context
from server.legacy.ledger import Ledger
from server.legacy.source import Row, fingerprint

CENT = Decimal("0.01")
_STATUSES = {
    "pending": "pending",
    "paid": "paid",
    "shipped": "fulfilled",
    "fulfilled": "fulfilled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "refunded": "refunded",
}
_ITEM_NAMESPACE = uuid.UUID("0f7c6a0e-3d4b-4c36-9a51-5be0a3c1e2d7")
_ADDRESS_FIELDS = {
    "shipping_name": ("name", "full_name"),
    "shipping_address_line1": ("line1", "address_line1", "address1", "street"),
    "shipping_address_line2": ("line2", "address_line2", "address2"),
    "shipping_city": ("city",),
    "shipping_state": ("state", "region"),
    "shipping_postal_code": ("postal_code", "zip", "postcode"),
    "shipping_country": ("country",),
}
_LIMITS = {"shipping_postal_code": 20, "shipping_country": 2, "shipping_city": 100}


def money(value: object) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT, ROUND_HALF_UP)


def item_id(order_id: uuid.UUID, index: int) -> uuid.UUID:
    """Order lines get ids derived from their order and position, so re-runs find them."""
    return uuid.uuid5(_ITEM_NAMESPACE, f"{order_id}:{index}")


def _address(value: Any) -> dict[str, str | None]:
    source = value if isinstance(value, dict) else {}
    fields: dict[str, str | None] = {}
    for column, keys in _ADDRESS_FIELDS.items():
        found = next((str(source[k]) for k in keys if source.get(k)), None)
        fields[column] = found[: _LIMITS.get(column, 200)] if found else None
    return fields


def _order_number(ctx: Context, row: Row) -> str:
    number = row["order_number"]
    clash = ctx.db.scalar(
        select(Order.id).where(Order.order_number == number, Order.id != row["id"])
    )
    if number and len(number) <= 32 and clash is None:
        return str(number)
    replacement = f"L-{row['id'].hex[:20].upper()}"
    ctx.report.note("order", row["id"], "order_number_replaced", f"{number!r} -> {replacement}")
    return replacement


def _lines(ctx: Context, row: Row) -> list[OrderItem]:
    items = row["items"] if isinstance(row["items"], list) else []
    lines = []
    for index, item in enumerate(items):
        try:
            model_id = uuid.UUID(str(item["model_id"]))
            quantity = int(item.get("quantity", 1))
            unit_price = money(item["price"])
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            ctx.report.note(
                "order", row["id"], "invalid_item", f"line {index} unreadable: {item!r}"
            )
            continue
        asset = ctx.db.get(Asset, model_id)
        if asset is None or quantity <= 0 or unit_price < 0:
            why = "names an unknown model" if asset is None else "has a bad quantity or price"
            ctx.report.note("order", row["id"], "invalid_item", f"line {index} {why}: left out")
            continue
        artist = ctx.db.get(User, asset.artist_id)
        assert artist is not None
        subtotal = unit_price * quantity
        lines.append(
            OrderItem(
                id=item_id(row["id"], index),
                order_id=row["id"],
                asset_id=model_id,
                quantity=quantity,
                unit_price=unit_price,
                subtotal=subtotal,
                artist_id=asset.artist_id,
                artist_commission_amount=(subtotal * artist.commission_rate).quantize(
                    CENT, ROUND_HALF_UP
                ),
                created_at=row["created_at"] or ctx.now,
            )
        )
    return lines


def _check_totals(
    ctx: Context, row: Row, lines: list[OrderItem], amounts: dict[str, Decimal]
) -> None:
    lines_total = sum((line.subtotal for line in lines), Decimal("0.00"))
    if lines_total != amounts["subtotal"]:
        ctx.report.note(
            "order",
            row["id"],
            "subtotal_mismatch",
            f"lines add up to {lines_total}, the legacy subtotal is {amounts['subtotal']} "
            f"(difference {lines_total - amounts['subtotal']}); legacy amounts kept",
        )
    expected = amounts["subtotal"] + amounts["shipping_cost"] + amounts["tax"]
    if expected != amounts["total"]:
        ctx.report.note(
            "order",
            row["id"],
            "total_mismatch",
            f"subtotal + shipping + tax = {expected}, the legacy total is {amounts['total']} "
            f"(difference {expected - amounts['total']}); legacy amounts kept",
        )


def import_batch(ctx: Context, rows: list[Row]) -> None:
    ledger = Ledger(ctx.db, ctx.report, "order", [str(r["id"]) for r in rows])
    for row in rows:
        legacy_id = str(row["id"])
        stamp = fingerprint(row)
        if ledger.unchanged(legacy_id, stamp):
            continue
        customer = ctx.db.get(User, row["user_id"]) if row["user_id"] else None
        amounts = {k: money(row[k]) for k in ("subtotal", "shipping_cost", "tax", "total")}
        if any(v < 0 for v in amounts.values()):
            ledger.record(legacy_id, stamp, None, f"negative amounts {amounts}")
            continue
        status = _STATUSES.get(str(row["status"]).lower())
        if status is None:
            status = "pending"
            ctx.report.note("order", legacy_id, "unknown_status", f"{row['status']!r} -> pending")
        fields = {
            "user_id": customer.id if customer else None,
            "customer_email": customer.email if customer else "unknown-customer@legacy.invalid",
            "order_number": _order_number(ctx, row),
            "status": status,
            "payment_intent_id": row["payment_intent_id"],
            "paid_at": row["paid_at"],
            "created_at": row["created_at"] or ctx.now,
            "updated_at": row["paid_at"] or row["created_at"] or ctx.now,
            **amounts,
            **_address(row["shipping_address"]),
        }
        order = ctx.db.get(Order, row["id"])
        if order is None:
            ctx.db.add(Order(id=row["id"], **fields))
        else:
            for name, value in fields.items():
                setattr(order, name, value)
            ctx.db.execute(delete(OrderItem).where(OrderItem.order_id == row["id"]))
        ctx.db.flush()
        lines = _lines(ctx, row)
        ctx.db.add_all(lines)
        _check_totals(ctx, row, lines, amounts)
        ledger.record(legacy_id, stamp, row["id"])
    ledger.flush()
    ctx.db.flush()


def import_transfers(ctx: Context, rows: list[Row]) -> None:
    ledger = Ledger(ctx.db, ctx.report, "transfer", [str(r["id"]) for r in rows])
    for row in rows:
        legacy_id = str(row["id"])
        stamp = fingerprint(row)
        if ledger.unchanged(legacy_id, stamp):
            continue
        order = ctx.db.get(Order, row["order_id"]) if row["order_id"] else None
        artist = ctx.db.get(User, row["artist_id"]) if row["artist_id"] else None
        if order is None and row["order_id"]:
            ctx.report.note("transfer", legacy_id, "unknown_order", "its order was not imported")
        status = row["status"] if row["status"] in PAYMENT_STATUSES else "completed"
        transfer_id = row["stripe_transfer_id"]
        holder = (
            ctx.db.scalar(select(Payment.id).where(Payment.stripe_transfer_id == transfer_id))
            if transfer_id
            else None
        )
        if holder is not None and holder != row["id"]:
            ctx.report.note(
                "transfer",
                legacy_id,
                "duplicate_transfer",
                f"{transfer_id} is already payment {holder}",
            )
            transfer_id = None
        fields = {
            "user_id": artist.id if artist else None,
            "order_id": order.id if order else None,
            "amount": money(row["amount"]),
            "payment_method": "stripe_transfer",
            "status": status,
            "stripe_transfer_id": transfer_id,
            "details": {"legacy_table": "stripe_transfers", "legacy_status": row["status"]},
            "created_at": row["created_at"] or ctx.now,
            "updated_at": row["created_at"] or ctx.now,
        }
        payment = ctx.db.get(Payment, row["id"])
        if payment is None:
            ctx.db.add(Payment(id=row["id"], **fields))
        else:
            for name, value in fields.items():
                setattr(payment, name, value)
        ledger.record(legacy_id, stamp, row["id"])
    ledger.flush()
    ctx.db.flush()
