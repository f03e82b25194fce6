"""The shopping cart: which assets, how many of each. Never a price.

The server prices every line when the order is made (and a price the client sent would be
ignored), so the cart holds only asset ids and quantities, in the order they were added. It
reads and writes itself as JSON so the app can keep it across restarts.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from terrain_desktop.domain.bill_of_materials import BillOfMaterials
from terrain_desktop.domain.events import Signal

#: The most of one asset an order line may ask for (the server refuses more).
MAX_QUANTITY = 100


@dataclass(frozen=True)
class CartLine:
    asset_id: str
    quantity: int


def _bounded(quantity: int) -> int:
    return max(0, min(int(quantity), MAX_QUANTITY))


class Cart:
    def __init__(self, lines: Iterable[CartLine] = ()) -> None:
        self._lines: dict[str, int] = {}
        for line in lines:
            if _bounded(line.quantity):
                self._lines[line.asset_id] = _bounded(line.quantity)
        #: The cart's lines changed (added, removed, quantities, emptied).
        self.changed: Signal[None] = Signal()

    def lines(self) -> list[CartLine]:
        return [CartLine(asset_id, quantity) for asset_id, quantity in self._lines.items()]

    def quantity(self, asset_id: str) -> int:
        return self._lines.get(asset_id, 0)

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def pieces(self) -> int:
        return sum(self._lines.values())

    def add(self, asset_id: str, quantity: int = 1) -> None:
        self.set_quantity(asset_id, self.quantity(asset_id) + quantity)

    def set_quantity(self, asset_id: str, quantity: int) -> None:
        """Zero (or less) removes the line; more than `MAX_QUANTITY` is capped."""
        quantity = _bounded(quantity)
        if quantity == self.quantity(asset_id):
            return
        if quantity:
            self._lines[asset_id] = quantity
        else:
            self._lines.pop(asset_id, None)
        self.changed.emit(None)

    def remove(self, asset_id: str) -> None:
        self.set_quantity(asset_id, 0)

    def clear(self) -> None:
        if self._lines:
            self._lines.clear()
            self.changed.emit(None)

    def add_missing(self, bom: BillOfMaterials) -> list[str]:
        """Put in exactly what the table still needs: each asset to buy, as many as the table
        holds (a line already holding at least that many stays). Owned and free assets never
        enter. Returns the asset ids whose lines changed."""
        touched = []
        for line in bom.to_buy():
            if self.quantity(line.asset_id) < line.count:
                self._lines[line.asset_id] = _bounded(line.count)
                touched.append(line.asset_id)
        if touched:
            self.changed.emit(None)
        return touched

    def to_json(self) -> str:
        return json.dumps([{"asset_id": a, "quantity": q} for a, q in self._lines.items()])

    @classmethod
    def from_json(cls, text: str) -> "Cart":
        """A cart written by this or an older version; unreadable content is an empty cart."""
        try:
            rows = json.loads(text)
            return cls(CartLine(str(r["asset_id"]), int(r["quantity"])) for r in rows)
        except (ValueError, TypeError, KeyError):
            return cls()
