"""File → Export build plan (PDF)…: the printer chosen from the presets, lengths in the unit
the window shows; the plan itself is `planning.plan_pdf.export_build_plan`, as
`terrain-desktop plan` writes it."""

from collections.abc import Callable
from pathlib import Path

from terrain_desktop.app.planning import table_layout
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.planning.plan_pdf import export_build_plan
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS
from terrain_desktop.store.local_store import LocalStore
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
    out = Path(path)
    export_build_plan(table_layout(store, doc.table_id, assets), out, PRINTERS[printer], unit)
    return out
