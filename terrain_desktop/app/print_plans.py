"""The print plan of a stored table, as the window's Print plan… and `print-plan` make it:
the owned pieces on plates (one 3MF each), the others listed to buy first.

What the user owns, offline: the bundled library (it ships with the app), their own imports,
and free assets. Anything else is to buy first; once bought, its full mesh comes with the
order's files and it is imported like any model, so it is owned here too. (The account's
purchases are only known signed in, from the server: a priced asset seen in the catalogue
counts as not owned until then.)
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.cart import Cart
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library
from terrain_desktop.planning.plates import DEFAULT_GAP, PrintPlan, plan_plates, write_plates
from terrain_desktop.planning.printing import PLA_GRAMS_PER_CM3, Printer
from terrain_desktop.store.local_store import LocalStore


def owns(asset: LibraryAsset) -> bool:
    """Bundled, imported (private to this device) or free."""
    if asset.id in bundled_library() or asset.private:
        return True
    try:
        return Decimal(asset.price) == 0
    except InvalidOperation:
        return False


@dataclass(frozen=True)
class BuyFirst:
    asset_id: str
    name: str
    count: int

    def as_dict(self) -> dict[str, object]:
        return {"asset": self.asset_id, "name": self.name, "count": self.count}


@dataclass(frozen=True)
class PrintPlanResult:
    plan: PrintPlan
    files: tuple[Path, ...]
    buy_first: tuple[BuyFirst, ...]

    def lines(self) -> list[str]:
        """The summary as the CLI prints it and the window shows it."""
        plan, settings, printer = self.plan, self.plan.settings, self.plan.printer
        out = [
            f"{plan.table} on {printer.name} ({printer.x:g} x {printer.y:g} x {printer.z:g} mm):"
        ]
        for plate, path in zip(plan.plates, self.files, strict=True):
            grams = plate.used_cm3(settings) * PLA_GRAMS_PER_CM3
            out.append(
                f"  {path.name}: {len(plate.parts)} parts, {grams:.0f} g, "
                f"about {plate.hours(settings):.1f} h"
            )
            out += [
                f"    {p.part.name}: {p.part.orientation}"
                for p in plate.parts
                if p.part.orientation != "upright"
            ]
        summary = plan.summary()
        out.append(
            f"{summary['parts']} parts on {len(plan.plates)} plates, {summary['filament_g']} g "
            f"({summary['filament_m']} m) of filament, about {summary['hours']} h"
        )
        out.append(f"Assumed: {settings.describe()}")
        out += [f"Too big for the bed any way up: {part.name}" for part in plan.too_big]
        out += [
            f"Buy first: {line.name} x{line.count} (not owned; add it to the cart)"
            for line in self.buy_first
        ]
        return out

    def summary(self) -> dict[str, object]:
        return {
            **self.plan.summary(),
            "files": [str(f) for f in self.files],
            "buy_first": [b.as_dict() for b in self.buy_first],
        }


def add_to_cart(cart: Cart, lines: Iterable[BuyFirst]) -> list[str]:
    """The pieces to buy first go into the cart, as many as the table holds (a line already
    holding that many stays), as the bill of materials' one-click button does. Returns the
    asset ids whose lines changed."""
    touched = []
    for line in lines:
        if cart.quantity(line.asset_id) < line.count:
            cart.set_quantity(line.asset_id, line.count)
            touched.append(line.asset_id)
    return touched


def buy_first(store: LocalStore, table_id: str, catalogue: Catalogue) -> list[BuyFirst]:
    """The table's pieces the user does not own, one line per asset, most used first."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for placement in store.placements(table_id):
        asset_id = str(placement["modelId"])
        asset = catalogue.get(asset_id)
        if asset is None or not owns(asset):
            counts[asset_id] += 1
            names[asset_id] = asset.name if asset else f"(unknown asset {asset_id})"
    return [BuyFirst(a, names[a], n) for a, n in counts.most_common()]


def make_print_plan(
    store: LocalStore,
    table_id: str,
    catalogue: Catalogue,
    printer: Printer,
    folder: Path,
    gap: float = DEFAULT_GAP,
) -> PrintPlanResult:
    from terrain_desktop.app.planning import table_layout

    layout = table_layout(store, table_id, catalogue.get)

    def owned(asset_id: str) -> bool:
        asset = catalogue.get(asset_id)
        return asset is not None and owns(asset)

    plan = plan_plates(layout, printer, gap, include=lambda piece: owned(piece.asset_id))
    files = write_plates(plan, folder)
    return PrintPlanResult(plan, tuple(files), tuple(buy_first(store, table_id, catalogue)))
