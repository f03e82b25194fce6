"""The main window: tables on the left, the 3D view in the middle, the drawer and the
properties on the right, and the menus, toolbar and shortcuts a desktop user expects."""

import csv
import json
from collections import Counter
from pathlib import Path

from terrain_desktop.app_data import Catalogue, data_dir
from terrain_desktop.domain import commands
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.background import run_in_background
from terrain_desktop.ui.drawer import AssetDrawer
from terrain_desktop.ui.icons import decorate
from terrain_desktop.ui.properties import PropertiesPanel
from terrain_desktop.ui.qt import (
    QAction,
    QCloseEvent,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    Qt,
    QToolBar,
    QUndoStack,
    QWidget,
)
from terrain_desktop.ui.sync_controller import SyncController
from terrain_desktop.ui.tables_panel import THUMB_H, THUMB_W, NewTableDialog, TablesPanel
from terrain_desktop.ui.undo import QtCommand
from terrain_desktop.ui.viewport import Viewport

RECENT_LIMIT = 12


class MainWindow(QMainWindow):
    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Terrain Builder")
        self.resize(1400, 900)
        self.undo_stack = QUndoStack(self)
        self.doc: TableDocument | None = None
        self.unit = LengthUnit(store.get_meta("length_unit") or LengthUnit.MM.value)
        self.catalogue = Catalogue(store)

        self.viewport = Viewport(self.catalogue.get, self)
        self.setCentralWidget(self.viewport)
        self.tables_panel = TablesPanel()
        self.tables_panel.thumbnails = data_dir() / "thumbnails"
        self.drawer = AssetDrawer()
        self.properties = PropertiesPanel(self.push)
        docks = [
            self._dock("My tables", self.tables_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            self._dock("Pieces", self.drawer, Qt.DockWidgetArea.RightDockWidgetArea),
            self._dock("Properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea),
        ]
        self.resizeDocks(docks[:2], [230, 280], Qt.Orientation.Horizontal)  # the view first
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._actions()

        self.viewport.command_ready.connect(self.push)
        self.viewport.measured.connect(self._measured)
        self.tables_panel.open_requested.connect(self.open_table)
        self.tables_panel.new_requested.connect(self.new_table)
        self.tables_panel.rename_requested.connect(self.rename_table)
        self.tables_panel.archive_requested.connect(self.archive_table)
        self._ruler: list[tuple[float, float]] = []

        last = store.get_meta("last_table")
        tables = store.tables()
        start = last if any(t.id == last for t in tables) else (tables[0].id if tables else None)
        self.tables_panel.show_tables(store, start)
        if start:
            self.open_table(start)
        self._apply_unit()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- actions -------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | str | None = None,
        toolbar: QToolBar | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        if toolbar is not None:
            toolbar.addAction(action)
        return action

    def _actions(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main toolbar")
        self.addToolBar(bar)
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        edit_menu = menus.addMenu("&Edit")
        view_menu = menus.addMenu("&View")
        self.new_action = self._action(
            "New table…", self.new_table, QKeySequence.StandardKey.New, bar
        )
        file_menu.addAction(self.new_action)
        file_menu.addAction(self._action("Import model…", self.import_model, "Ctrl+I", bar))
        file_menu.addAction(self._action("Export view as PNG…", self.export_png, "Ctrl+E"))
        file_menu.addAction(self._action("Export print list as CSV…", self.export_csv))
        file_menu.addSeparator()
        self.syncing = SyncController(self)
        self.sync_action = self._action("Sync now", self.syncing.sync_now, "F5", bar)
        self.sign_in_action = self._action("Sign in…", self.syncing.sign_in)
        self.sign_out_action = self._action("Sign out", self.syncing.sign_out)
        for action in (self.sync_action, self.sign_in_action, self.sign_out_action):
            file_menu.addAction(action)
        file_menu.addAction(self._action("Server address…", self.syncing.ask_server))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, QKeySequence.StandardKey.Quit))
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            edit_menu.addAction(action)
            bar.addAction(action)
        bar.addSeparator()
        edit_menu.addSeparator()
        for text, slot, key in (
            ("Rotate left", lambda: self.rotate(-15), "Q"),
            ("Rotate right", lambda: self.rotate(15), "R"),
            ("Duplicate", self.duplicate, "Ctrl+D"),
            ("Copy", self.copy, QKeySequence.StandardKey.Copy),
            ("Paste", self.paste, QKeySequence.StandardKey.Paste),
            ("Delete", self.delete_selection, QKeySequence.StandardKey.Delete),
        ):
            edit_menu.addAction(self._action(text, slot, key, bar))
        edit_menu.addAction(self._action("Grid size…", self.ask_grid))
        self.snap_action = self._action("Snap to grid", self._toggle_snap, "G")
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(True)
        edit_menu.addAction(self.snap_action)
        bar.addSeparator()
        for text, slot, key in (
            ("Top view", self.viewport.show_top, "T"),
            ("3D view", self.viewport.show_3d, "P"),
        ):
            view_menu.addAction(self._action(text, lambda _=False, s=slot: s(), key, bar))
        view_menu.addAction(self._action("Reset view", lambda: self.viewport.show_3d(), "Home"))
        view_menu.addAction(self._action("Frame selection", self.viewport.frame_selection))
        view_menu.addAction(self._action("Save camera view", self.save_view, "Ctrl+Shift+S"))
        view_menu.addAction(self._action("Restore camera view", self.restore_view, "Ctrl+Shift+R"))
        self.ruler_action = self._action("Ruler", self._toggle_ruler, "M", bar)
        self.ruler_action.setCheckable(True)
        view_menu.addAction(self.ruler_action)
        self.inch_action = self._action("Show inches", self._toggle_unit)
        self.inch_action.setCheckable(True)
        self.inch_action.setChecked(self.unit == LengthUnit.INCH)
        view_menu.addAction(self.inch_action)
        view_menu.addSeparator()
        self.shadows_action = self._action("Shadows", self.viewport.set_shadows, None, bar)
        self.shadows_action.setCheckable(True)
        view_menu.addAction(self.shadows_action)
        for dock in self.findChildren(QDockWidget):  # closed panels come back from here
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(bar.toggleViewAction())
        decorate(bar)

    # -- editing -------------------------------------------------------------------------------

    def push(self, command: Command) -> None:
        self.undo_stack.push(QtCommand(command))
        if isinstance(command, commands.AddPieces) and self.doc is not None:
            self._used([p["modelId"] for p in command.pieces])

    def rotate(self, degrees: float) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(
                commands.rotate(self.doc, self.doc.selection, degrees, self.viewport.snapping)
            )

    def duplicate(self) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(commands.duplicate(self.doc, self.doc.selection))

    def copy(self) -> None:
        if self.doc is not None and self.doc.selection:
            self._clipboard = [dict(self.doc.pieces[i]) for i in sorted(self.doc.selection)]

    def paste(self) -> None:
        copied = getattr(self, "_clipboard", [])
        if self.doc is None or not copied:
            return
        pieces = [
            {**p, "id": self.doc.new_piece_id(), "x": p["x"] + 30, "y": p["y"] - 30} for p in copied
        ]
        self.push(commands.AddPieces(self.doc, pieces, "Paste"))

    def ask_grid(self) -> None:
        size, ok = QInputDialog.getInt(
            self, "Grid size", "Snap pieces to a grid of (mm):", int(self.viewport.grid), 1, 500
        )
        if ok:
            self.viewport.grid = float(size)

    def delete_selection(self) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(commands.RemovePieces(self.doc, sorted(self.doc.selection)))

    def _toggle_snap(self, on: bool) -> None:
        self.viewport.snapping = on

    # -- tables --------------------------------------------------------------------------------

    def open_table(self, table_id: str) -> None:
        if self.doc is not None and self.doc.table_id == table_id:
            return
        self.undo_stack.clear()
        self.save_thumbnail()
        self.doc = TableDocument(self.store, table_id, self.catalogue.get)
        self.store.set_meta("last_table", table_id)
        self.viewport.show_document(self.doc)
        self.properties.show_document(self.doc)
        self.drawer.set_assets(self._library(), self._recent)
        self.save_thumbnail()
        self.tables_panel.show_tables(self.store, table_id)
        self._status()

    def save_thumbnail(self) -> None:
        """How the open table looks now, small, for "My tables"."""
        folder = self.tables_panel.thumbnails
        if self.doc is None or folder is None or not self.isVisible():
            return
        folder.mkdir(parents=True, exist_ok=True)
        image = self.viewport.interactor.interactor.grab().scaled(
            THUMB_W * 2, THUMB_H * 2, Qt.AspectRatioMode.KeepAspectRatioByExpanding
        )
        image.save(str(folder / f"{self.doc.table_id}.png"))

    def _library(self) -> list[LibraryAsset]:
        assert self.doc is not None
        found = (self.catalogue.get(i) for i in self.store.library(self.doc.table_id))
        return [a for a in found if a is not None]

    def _recent(self) -> list[str]:
        if self.doc is None:
            return []
        return list(json.loads(self.store.get_meta(f"recent:{self.doc.table_id}") or "[]"))

    def _used(self, asset_ids: list[str]) -> None:
        assert self.doc is not None
        recent = [a for a in asset_ids if a] + [a for a in self._recent() if a not in asset_ids]
        self.store.set_meta(f"recent:{self.doc.table_id}", json.dumps(recent[:RECENT_LIMIT]))
        self.drawer.refresh()

    def new_table(self) -> None:
        dialog = NewTableDialog(self)
        if dialog.exec() != NewTableDialog.DialogCode.Accepted:
            return
        self.create_table(*dialog.values())

    def create_table(self, name: str, width: int, depth: int) -> str:
        from terrain_desktop.domain.catalogue import bundled_library

        table_id = self.store.create_table(name, width, depth)
        for asset_id in bundled_library():  # a new table starts with the bundled library
            self.store.add_library_asset(table_id, asset_id)
        self.open_table(table_id)
        return table_id

    def rename_table(self, table_id: str) -> None:
        table = self.store.table(table_id)
        if table is None:
            return
        name, ok = QInputDialog.getText(self, "Rename table", "Name", text=table.name)
        if ok and name.strip() and self.doc is not None and self.doc.table_id == table_id:
            self.push(commands.UpdateTable(self.doc, {"name": table.name}, {"name": name.strip()}))
            self.tables_panel.show_tables(self.store, table_id)

    def archive_table(self, table_id: str) -> None:
        table = self.store.table(table_id)
        answer = QMessageBox.question(
            self,
            "Archive table",
            f"Archive “{table.name if table else ''}”? You can restore it later.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.archive_table(table_id)
        remaining = self.store.tables()
        if self.doc is not None and self.doc.table_id == table_id:
            self.doc = None
            self.viewport.show_document(None)
            self.properties.show_document(None)
            if remaining:
                self.open_table(remaining[0].id)
        self.tables_panel.show_tables(self.store, self.doc.table_id if self.doc else None)

    # -- importing the user's own models

    def import_model(self, path: str | None = None) -> None:
        if self.doc is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Import model", "", "Models (*.stl *.obj *.ply *.3mf *.glb)"
            )
        if not path:
            return
        from terrain_desktop.meshes import importer

        self.statusBar().showMessage(f"Reading {Path(path).name}…")
        run_in_background(
            lambda: importer.inspect(Path(path)), self._confirm_import, self._import_failed
        )

    def _confirm_import(self, inspection: object) -> None:
        from terrain_desktop.meshes import importer
        from terrain_desktop.ui.import_dialog import ImportDialog

        assert isinstance(inspection, importer.Inspection)
        dialog = ImportDialog(inspection, self)
        if dialog.exec() != ImportDialog.DialogCode.Accepted:
            self.statusBar().clearMessage()
            return
        units, name = dialog.chosen_units(), dialog.name.text().strip() or inspection.name
        self.statusBar().showMessage(f"Importing {name}…")
        run_in_background(
            lambda: importer.import_model(
                self.store, inspection, units, name, data_dir() / "models"
            ),
            self._imported,
            self._import_failed,
        )

    def _imported(self, asset: object) -> None:
        assert isinstance(asset, LibraryAsset)
        self.catalogue.reload()
        if self.doc is not None:
            self.store.add_library_asset(self.doc.table_id, asset.id)
            self._used([asset.id])
            self.drawer.set_assets(self._library(), self._recent)
        self.statusBar().showMessage(f"Imported {asset.name}: it is in this table's pieces.", 8000)

    def _import_failed(self, error: Exception) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, "Cannot import this file", str(error))

    # -- views, ruler, exports -----------------------------------------------------------------

    def save_view(self) -> None:
        if self.doc is not None:
            position = [list(v) for v in self.viewport.interactor.camera_position]
            self.store.set_meta(f"camera:{self.doc.table_id}", json.dumps(position))

    def restore_view(self) -> None:
        saved = self.doc and self.store.get_meta(f"camera:{self.doc.table_id}")
        if saved:
            self.viewport.show_saved(json.loads(saved))

    def _toggle_ruler(self, on: bool) -> None:
        self.viewport.measuring = on
        self._ruler = []
        self.statusBar().showMessage("Ruler: click two points on the table." if on else "", 0)

    def _measured(self, x: float, y: float) -> None:
        self._ruler.append((x, y))
        if len(self._ruler) == 2:
            (x0, y0), (x1, y1) = self._ruler
            distance = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            self.last_measurement = distance
            self.statusBar().showMessage(
                f"Distance: {format_length(distance, LengthUnit.MM)} "
                f"({format_length(distance, LengthUnit.INCH)})"
            )
            self._ruler = []

    def _toggle_unit(self, inches: bool) -> None:
        self.unit = LengthUnit.INCH if inches else LengthUnit.MM
        self.store.set_meta("length_unit", self.unit.value)
        self._apply_unit()

    def _apply_unit(self) -> None:
        """Grid and snapping follow the unit: 6-inch lines and 1-inch steps, or 100/25 mm."""
        inches = self.unit == LengthUnit.INCH
        self.viewport.unit = self.unit
        self.viewport.grid_lines = 6 * 25.4 if inches else 100.0
        self.viewport.grid = 25.4 if inches else 25.0
        if self.doc is not None:
            table = self.doc.table
            self.viewport.scene.set_table(table.width, table.depth, self.viewport.grid_lines)
            self.viewport.render()
        self._status()

    def _status(self) -> None:
        if self.doc is None:
            self.status.setText("No table open")
            self.setWindowTitle("Terrain Builder")
            return
        self.setWindowTitle(f"{self.doc.table.name} — Terrain Builder")
        table = self.doc.table
        size = f"{format_length(table.width, self.unit)} × {format_length(table.depth, self.unit)}"
        self.status.setText(f"{table.name} · {size} · {len(self.doc.pieces)} pieces")

    def export_png(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export view", "table.png", "PNG (*.png)")
        if path:
            self.viewport.interactor.screenshot(path)

    def export_csv(self, path: str | None = None) -> None:
        if self.doc is None:
            return
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Print list", "print-list.csv", "CSV (*.csv)"
            )
        if not path:
            return
        counts = Counter(p["modelId"] for p in self.doc.pieces.values())
        with Path(path).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["asset", "count", "width_mm", "depth_mm", "height_mm"])
            for asset_id, count in sorted(counts.items(), key=lambda kv: str(kv[0])):
                asset = self.catalogue.get(asset_id)
                name = asset.name if asset else f"(unknown model {asset_id})"
                size = asset.size_mm if asset else ("", "", "")
                writer.writerow([name, count, *size])

    def signed_in_user(self) -> str | None:
        return self.syncing.signed_in_user()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_thumbnail()
        self.viewport.interactor.close()
        self.store.close()
        super().closeEvent(event)
