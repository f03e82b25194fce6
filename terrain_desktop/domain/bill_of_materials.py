"""A table's bill of materials: which assets its pieces use, how many of each, and which of
them the user still has to buy.

Pure: what the server says about each asset (its price and artist) and what the user already
owns come in as values, so the same marks can be drawn for the open table, a shared table
opened by its code or a clone, in the window, the CLI or a test. Money is `Decimal`.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from terrain_desktop.domain.money import format_money


class Mark(StrEnum):
    """What a piece costs this user, as the bill of materials shows it."""

    #: Bought before, uploaded by this user, or imported on this device.
    OWNED = "owned"
    #: Priced at zero: nothing to pay.
    FREE = "free"
    #: Priced, not owned: the cart takes these.
    TO_BUY = "to buy"
    #: The server does not sell it (unknown there, private, or not reachable now).
    UNAVAILABLE = "not for sale"


#: The order lines appear in: what needs doing first.
MARK_ORDER = (Mark.TO_BUY, Mark.FREE, Mark.OWNED, Mark.UNAVAILABLE)


@dataclass(frozen=True)
class AssetOffer:
    """What the server's catalogue says about one asset."""

    asset_id: str
    name: str
    price: Decimal
    artist_id: str
    artist_name: str | None = None
    thumbnail_url: str | None = None


@dataclass(frozen=True)
class Ownership:
    """What this user need not buy."""

    purchased: frozenset[str] = frozenset()
    uploaded: frozenset[str] = frozenset()
    #: Models imported on this device (they never came from the catalogue).
    imported: frozenset[str] = frozenset()

    def owns(self, asset_id: str) -> bool:
        return asset_id in self.purchased or asset_id in self.uploaded or asset_id in self.imported


@dataclass(frozen=True)
class BomLine:
    asset_id: str
    name: str
    #: How many pieces of this asset the table holds.
    count: int
    mark: Mark
    #: The server's price of one (None when the server does not sell it).
    unit_price: Decimal | None
    artist_name: str | None = None

    @property
    def to_pay(self) -> Decimal:
        """What this line adds to the cart's subtotal (nothing unless it is to buy)."""
        if self.mark != Mark.TO_BUY or self.unit_price is None:
            return Decimal("0.00")
        return self.unit_price * self.count


@dataclass(frozen=True)
class BillOfMaterials:
    lines: tuple[BomLine, ...] = field(default_factory=tuple)

    def to_buy(self) -> list[BomLine]:
        return [line for line in self.lines if line.mark == Mark.TO_BUY]

    def marks(self) -> dict[str, Mark]:
        """Each asset's mark, by asset id (what a table view colours its pieces by)."""
        return {line.asset_id: line.mark for line in self.lines}

    @property
    def pieces(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def total_to_buy(self) -> Decimal:
        return sum((line.to_pay for line in self.lines), Decimal("0.00"))

    def summary(self) -> str:
        """One sentence for a status line or a dialog's heading."""
        buy = self.to_buy()
        if not self.lines:
            return "This table has no pieces."
        if not buy:
            return f"You have everything for this table's {self.pieces} piece(s)."
        count = sum(line.count for line in buy)
        return (
            f"{count} piece(s) of {len(buy)} asset(s) to buy, "
            f"{format_money(self.total_to_buy)} before shipping and tax."
        )


def mark_for(asset_id: str, offer: AssetOffer | None, owned: Ownership) -> Mark:
    if owned.owns(asset_id):
        return Mark.OWNED
    if offer is None:
        return Mark.UNAVAILABLE
    return Mark.FREE if offer.price == 0 else Mark.TO_BUY


def bill_of_materials(
    asset_ids: Iterable[str],
    offers: Mapping[str, AssetOffer],
    owned: Ownership,
    local_name: Callable[[str], str | None] = lambda _: None,
) -> BillOfMaterials:
    """The pieces' assets (one id per piece) grouped with their counts and marks.

    `offers` is what the server sells (by asset id); `local_name` names assets this device
    knows (bundled or imported) when the server does not.
    """
    counts = Counter(asset_ids)
    lines = []
    for asset_id, count in counts.items():
        offer = offers.get(asset_id)
        name = offer.name if offer else local_name(asset_id) or "Unknown asset"
        lines.append(
            BomLine(
                asset_id=asset_id,
                name=name,
                count=count,
                mark=mark_for(asset_id, offer, owned),
                unit_price=offer.price if offer else None,
                artist_name=offer.artist_name if offer else None,
            )
        )
    lines.sort(key=lambda line: (MARK_ORDER.index(line.mark), line.name.casefold()))
    return BillOfMaterials(tuple(lines))
