"""Prices an order from the catalogue: lines, shipping, tax and each artist's share.

Nothing a client sends about money is used: unit prices come from the assets, the rules from
settings (docs/ORDERS.md). All arithmetic is Decimal, rounded to cents half-up, once per line.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from server.errors import ApiError
from server.settings import Settings
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.orders import MAX_LINE_QUANTITY, OrderLineRequest

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal) -> int:
    """Stripe counts in cents."""
    return int(cents(amount) * 100)


@dataclass(frozen=True)
class PricedLine:
    asset: Asset
    artist: User
    quantity: int
    unit_price: Decimal
    subtotal: Decimal
    artist_commission_amount: Decimal


@dataclass(frozen=True)
class PricedOrder:
    lines: list[PricedLine]
    subtotal: Decimal
    shipping_cost: Decimal
    tax: Decimal
    total: Decimal


def merge_lines(items: Sequence[OrderLineRequest]) -> dict[uuid.UUID, int]:
    """The same asset twice is one line; a merged quantity is still bounded."""
    quantities: dict[uuid.UUID, int] = {}
    for item in items:
        quantities[item.asset_id] = quantities.get(item.asset_id, 0) + item.quantity
    for asset_id, quantity in quantities.items():
        if quantity > MAX_LINE_QUANTITY:
            raise ApiError(
                422,
                ErrorCode.VALIDATION_ERROR,
                f"Invalid request: at most {MAX_LINE_QUANTITY} of one model per order.",
                [ErrorDetail(path=f"body.items.{asset_id}", message="quantity too large")],
            )
    return quantities


def _not_for_sale(asset_id: uuid.UUID, why: str) -> ApiError:
    return ApiError(
        409,
        ErrorCode.NOT_FOR_SALE,
        f"Model {asset_id} cannot be bought: {why}.",
        [ErrorDetail(path="body.items", message=f"{asset_id}: {why}")],
    )


def price(
    db: Session, items: Sequence[OrderLineRequest], settings: Settings, buyer_id: uuid.UUID
) -> PricedOrder:
    """Every line priced from the catalogue, or a 4xx naming the first line that cannot be.

    Only published, public or unlisted, ready assets with a price above zero are sold; the
    rest are either unknown to the buyer (404) or not for sale (409). An artist cannot buy
    their own asset (409 `own_asset`): they have its file already, and a self-purchase would
    only inflate its sales count.
    """
    quantities = merge_lines(items)
    rows = db.execute(
        select(Asset, User)
        .join(User, User.id == Asset.artist_id)
        .where(Asset.id.in_(list(quantities)))
    ).all()
    found = {asset.id: (asset, artist) for asset, artist in rows}
    lines: list[PricedLine] = []
    for asset_id, quantity in quantities.items():
        if asset_id not in found:
            raise ApiError(404, ErrorCode.ASSET_NOT_FOUND, f"Model {asset_id} not found.")
        asset, artist = found[asset_id]
        if asset.status != "published" or asset.visibility == "private":
            raise ApiError(404, ErrorCode.ASSET_NOT_FOUND, f"Model {asset_id} not found.")
        if asset.processing_state != "ready":
            raise _not_for_sale(asset_id, "it is still being processed")
        if asset.base_price <= 0:
            raise _not_for_sale(asset_id, "it is free; add it to a table instead")
        if artist.id == buyer_id:
            raise ApiError(
                409,
                ErrorCode.OWN_ASSET,
                f"Model {asset_id} is your own upload: you need not buy it.",
                [ErrorDetail(path="body.items", message=f"{asset_id}: your own asset")],
            )
        unit = cents(asset.base_price)
        subtotal = unit * quantity
        share = cents(subtotal * artist.commission_rate)
        lines.append(PricedLine(asset, artist, quantity, unit, subtotal, share))
    subtotal = sum((line.subtotal for line in lines), Decimal("0.00"))
    shipping = shipping_cost(subtotal, sum(line.quantity for line in lines), settings)
    tax = cents((subtotal + shipping) * settings.tax_rate)
    return PricedOrder(lines, subtotal, shipping, tax, subtotal + shipping + tax)


def shipping_cost(subtotal: Decimal, pieces: int, settings: Settings) -> Decimal:
    """A flat fee per order plus a fee per piece after the first; free from a subtotal."""
    if subtotal >= settings.shipping_free_from:
        return Decimal("0.00")
    extra = max(pieces - 1, 0)
    return cents(settings.shipping_flat_fee + settings.shipping_per_extra_piece * extra)
