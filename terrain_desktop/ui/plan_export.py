"""File → Export build plan (PDF)…: the same plan as `terrain-desktop plan`, with the printer
chosen from the presets and lengths in the unit the window shows."""

from collections.abc import Callable
from pathlib import Path

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.planning.layout import MeshLoader
from terrain_desktop.planning.plan_pdf import write_plan
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS, bill_of_materials
from terrain_desktop.planning.setup_card import numbered
from terrain_desktop.planning.zones import ZoneLayout, zone_outlines
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.checks_panel import document_layout
from terrain_desktop.ui.qt import QFileDialog, QInputDialog, QWidget


def export_plan(
    parent: QWidget,
    store: LocalStore,
    doc: TableDocument,
    assets: Callable[[str], LibraryAsset | None],
    unit: LengthUnit,
    path: str | None = None,
) -> Path | None:
    names = sorted(PRINTERS)
    printer, ok = QInputDialog.getItem(
        parent,
        "Build plan",
        "Printer for the bill of materials:",
        names,
        names.index(DEFAULT_PRINTER),
        False,
    )
    if not ok:
        return None
    if not path:
        path, _ = QFileDialog.getSaveFileName(parent, "Build plan", "build-plan.pdf", "PDF (*.pdf)")
    if not path:
        return None
    table = document_layout(store, doc, assets, MeshLoader())
    zones = zone_outlines(ZoneLayout.LONG_EDGES, table.width, table.depth)
    chosen = PRINTERS[printer]
    out = Path(path)
    write_plan(out, table, numbered(table), bill_of_materials(table, chosen), chosen, zones, unit)
    return out
