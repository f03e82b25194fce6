"""What the File menu and My tables do once a dialog has asked what it must: make, rename and
archive tables, import a model, export the view, the print list, the build plan and the
print plan's plates. Each asks, then calls one operation of the shell; passing `path` (or
`folder`) skips the file dialog."""

from pathlib import Path
from typing import TYPE_CHECKING

from terrain_desktop.app.shell import AppShell
from terrain_desktop.app_data import data_dir
from terrain_desktop.ui.qt import QFileDialog, QInputDialog, QMessageBox
from terrain_desktop.ui.view_tools import ViewTools
from terrain_desktop.ui.viewport import Viewport
from terrain_desktop.ui.window_view import WindowView

if TYPE_CHECKING:
    from terrain_desktop.ui.archived_dialog import ArchivedTablesDialog


class FileCommands:
    def __init__(
        self, shell: AppShell, view: WindowView, viewport: Viewport, tools: ViewTools
    ) -> None:
        self.shell = shell
        self.view = view
        self.viewport = viewport
        self.tools = tools
        #: The Archived tables dialog, once opened.
        self.archived: ArchivedTablesDialog | None = None

    def ask_grid(self) -> None:
        size, ok = QInputDialog.getInt(
            self.view.frame,
            "Grid size",
            "Snap pieces to a grid of (mm):",
            int(self.viewport.grid),
            1,
            500,
        )
        if ok:
            self.viewport.grid = float(size)

    def new_table(self) -> None:
        from terrain_desktop.app import plans
        from terrain_desktop.store.local_store import TableLimitReached
        from terrain_desktop.ui.plan_limit import explain_limit
        from terrain_desktop.ui.tables_panel import NewTableDialog

        dialog = NewTableDialog(self.view.frame)
        if dialog.exec() == NewTableDialog.DialogCode.Accepted:
            try:
                self.shell.editor.create_table(*dialog.values())
            except TableLimitReached:
                summary = plans.summary(self.shell.store, self.shell.sync.plan())
                explain_limit(self.view.frame, summary.explanation())

    def open_sample_dungeon(self) -> None:
        """The small dungeon laid from the modular kit: made on first asking, then opened."""
        from terrain_desktop.app import plans
        from terrain_desktop.app.samples import open_sample_dungeon
        from terrain_desktop.store.local_store import TableLimitReached
        from terrain_desktop.ui.plan_limit import explain_limit

        try:
            open_sample_dungeon(self.shell.editor)
        except TableLimitReached:
            summary = plans.summary(self.shell.store, self.shell.sync.plan())
            explain_limit(self.view.frame, summary.explanation())

    def rename_table(self, table_id: str) -> None:
        table = self.shell.store.table(table_id)
        if table is not None:
            name, ok = QInputDialog.getText(
                self.view.frame, "Rename table", "Name", text=table.name
            )
            if ok:
                self.shell.editor.rename_table(table_id, name)

    def archive_table(self, table_id: str) -> None:
        table = self.shell.store.table(table_id)
        answer = QMessageBox.question(
            self.view.frame,
            "Archive table",
            f"Archive “{table.name if table else ''}”? You can restore it later from "
            "My tables ▸ Archived….",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.shell.editor.archive_table(table_id)

    def show_archived(self) -> None:
        """The archived tables, to restore (My tables ▸ Archived…)."""
        from terrain_desktop.ui.archived_dialog import ArchivedTablesDialog

        self.archived = ArchivedTablesDialog(self.shell.editor, self.view.frame)
        self.archived.show()

    def import_model(self, path: str | None = None) -> None:
        from terrain_desktop.ui.import_dialog import ImportFlow

        if self.shell.editor.doc is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.view.frame, "Import model", "", "Models (*.stl *.obj *.ply *.3mf *.glb)"
            )
        if path:
            flow = ImportFlow(
                self.view.frame, self.shell.editor, data_dir() / "models", self.view.show_message
            )
            flow.start(Path(path))

    def export_png(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self.view.frame, "Export view", "table.png", "PNG (*.png)"
            )
        if path:
            self.viewport.interactor.screenshot(path)

    def export_csv(self, path: str | None = None) -> None:
        doc = self.shell.editor.doc
        if doc is None:
            return
        from terrain_desktop.app import exports

        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self.view.frame, "Print list", "print-list.csv", "CSV (*.csv)"
            )
        if path:
            exports.export_csv(doc, self.shell.catalogue, Path(path))

    def export_plan(self, path: str | None = None) -> None:
        from terrain_desktop.ui.plan_export import export_plan

        doc = self.shell.editor.doc
        if doc is not None:
            out = export_plan(
                self.view.frame,
                self.shell.store,
                doc,
                self.shell.catalogue.get,
                self.tools.unit,
                path,
            )
            if out is not None:
                self.view.show_message(f"Wrote the build plan to {out}", 8000)

    def print_plan(self, folder: str | None = None) -> None:
        from terrain_desktop.ui.print_plan_dialog import print_plan

        doc = self.shell.editor.doc
        if doc is not None:
            result = print_plan(self.view.frame, self.shell, doc.table_id, folder)
            if result is not None:
                self.view.show_message(f"Wrote {len(result.files)} plates (3MF)", 8000)
