"""The main window: tables on the left, the 3D view in the middle, the drawer and the
properties on the right, and the menus, toolbar and shortcuts a desktop user expects.

The window composes views; what they do is an operation of the `Editor` (or the
`SyncOperation`), and what they show follows the editor's and the open table's events.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from terrain_desktop.app_data import asset_lookup, data_dir
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import PiecesChanged
from terrain_desktop.domain.units import format_length
from terrain_desktop.ui.qt import (
    QAction,
    QCloseEvent,
    QDockWidget,
    QLabel,
    QMainWindow,
    Qt,
    QUndoStack,
    QWidget,
    Signal,
)
from terrain_desktop.ui.viewport import Viewport

if TYPE_CHECKING:
    # Beyond its 3D view the window loads pydantic, keyring, shapely...: imported in `finish`,
    # after the first frame (tests/desktop/ui/test_startup.py). Import docks there too.
    from terrain_desktop.store.first_frame import TableSnapshot
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.ui.catalogue_window import CatalogueWindow

APP_NAME = "Terrain Builder"


class MainWindow(QMainWindow):
    ready = Signal()  # start-up (ui/app.py) completed the window after its first frame

    def __init__(
        self,
        store: "LocalStore | None",
        parent: QWidget | None = None,
        *,
        first: "TableSnapshot | None" = None,
    ) -> None:
        """With a store, the whole window. Without one (start-up), only the 3D view, showing
        `first`, the table the app opens on; `finish(store)` adds the rest after that frame."""
        super().__init__(parent)
        self.resize(1400, 900)
        self._assets: Callable[[str], LibraryAsset | None] = asset_lookup
        self.viewport = Viewport(lambda asset_id: self._assets(asset_id), self)
        self.setCentralWidget(self.viewport)
        self.finished = False
        if store is not None:
            self.finish(store)
        elif first is not None:
            table = first.table(first.table_id)
            self.setWindowTitle(f"{table.name if table else ''} — {APP_NAME}")
            self.viewport.show_document(TableDocument(first, first.table_id, asset_lookup))
            self.viewport.setEnabled(False)  # shown, not editable, until `finish`

    def finish(self, store: "LocalStore") -> None:
        """Everything but the 3D view: the shell over the store, docks, menus, sync."""
        from terrain_desktop.app.shell import AppShell
        from terrain_desktop.ui.artist_controller import ArtistController
        from terrain_desktop.ui.catalogue_window import CatalogueDoor
        from terrain_desktop.ui.checks_panel import ChecksPanel
        from terrain_desktop.ui.drawer import AssetDrawer
        from terrain_desktop.ui.file_commands import FileCommands
        from terrain_desktop.ui.library_dock import LibraryFeatures
        from terrain_desktop.ui.online import OnlineFeatures
        from terrain_desktop.ui.properties import PropertiesPanel
        from terrain_desktop.ui.shop_controller import ShopController
        from terrain_desktop.ui.sight_panel import SightPanel
        from terrain_desktop.ui.sync_controller import SyncController
        from terrain_desktop.ui.tables_panel import TablesPanel
        from terrain_desktop.ui.thumbnails import TableThumbnails
        from terrain_desktop.ui.undo import QtHistory
        from terrain_desktop.ui.view_tools import ViewTools
        from terrain_desktop.ui.window_actions import WindowActions

        self.undo_stack = QUndoStack(self)
        self.shell = shell = AppShell(store, QtHistory(self.undo_stack))
        self.store, self.sync, self.editor = store, shell.sync, shell.editor
        self._assets = shell.catalogue.get
        thumbs = data_dir() / "thumbnails"
        self.thumbnails = TableThumbnails(self.viewport.interactor.interactor, thumbs)
        self.tables_panel = TablesPanel(thumbs)
        self.drawer = AssetDrawer()
        self.properties = PropertiesPanel(
            self.editor.push, each_in_place=lambda: self.viewport.each_in_place
        )
        tables = self._dock("My tables", self.tables_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        pieces = self._dock("Pieces", self.drawer, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("Properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([tables, pieces], [230, 280], Qt.Orientation.Horizontal)  # view first
        self.checks = ChecksPanel(store, self.viewport, shell.catalogue.get)
        self.sight = SightPanel(store, self.viewport, shell.catalogue.get)
        self._dock("Checks", self.checks, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("Line of sight", self.sight, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.view_tools = ViewTools(self.viewport, self.editor, self.show_message)
        for follower in (self.properties, self.checks, self.sight, self.drawer):  # one setting
            self.view_tools.unit_changed.connect(follower.set_unit)
        self.files = FileCommands(shell, self, self.viewport, self.view_tools)
        self.syncing = SyncController(self.sync, self.editor, self, self.show_message)
        self.shop = ShopController(shell, self, self.drawer)
        self.catalogue_door = CatalogueDoor(shell, self, self.shop.attach_catalogue)
        # the sync indicator, automatic sync, the plan line, sharing
        self.online = OnlineFeatures(
            shell, self, self.syncing, self.shop, self.tables_panel.show_plan
        )
        self.artists = ArtistController(shell.artist, self, self.show_message)
        self.actions_ = WindowActions(shell, self)
        # the Library dock and menu, meshes on demand
        self.library = LibraryFeatures(
            shell, self, self.viewport, self._library_changed, self.catalogue_door.open_sets
        )
        self.shop.refresh_after_payment(self.library.fetcher.refresh)

        self.viewport.command_ready.connect(self.editor.push)
        self.tables_panel.open_requested.connect(self.editor.open_table)
        self.tables_panel.new_requested.connect(self.files.new_table)
        self.tables_panel.rename_requested.connect(self.files.rename_table)
        self.tables_panel.archive_requested.connect(self.files.archive_table)
        self.tables_panel.archived_requested.connect(self.files.show_archived)
        self.editor.table_opened.connect(self._table_opened)
        self.editor.tables_changed.connect(self._tables_changed)
        self.editor.library_changed.connect(self._library_changed)

        self.editor.open_last_table()
        if self.editor.doc is None:
            self._table_opened(None)
        self._tables_changed()
        self.view_tools.apply_unit()
        self.viewport.setEnabled(True)
        self.finished = True

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    @property
    def doc(self) -> TableDocument | None:
        return self.editor.doc

    @property
    def frame(self) -> QMainWindow:
        """The window as its controllers' `WindowView` (ui/window_view.py) sees it."""
        return self

    @property
    def catalogue_window(self) -> "CatalogueWindow | None":
        """The catalogue browser, once File ▸ Browse catalogue… has made it."""
        return self.catalogue_door.window

    def open_catalogue(self) -> "CatalogueWindow":
        return self.catalogue_door.open()

    def show_message(self, text: str, milliseconds: int) -> None:
        if text:
            self.statusBar().showMessage(text, milliseconds)
        else:
            self.statusBar().clearMessage()

    # -- following the editor ------------------------------------------------------------------

    def _table_opened(self, doc: TableDocument | None) -> None:
        self.thumbnails.opened(doc)
        self.viewport.show_document(doc)
        self.properties.show_document(doc)
        self.checks.show_document(doc)
        self.sight.show_document(doc)
        self._library_changed()
        if doc is not None:
            doc.pieces_changed.connect(self._pieces_changed)
            doc.table_changed.connect(lambda _: self._tables_changed())
        self._tables_changed()

    def _library_changed(self, _: None = None) -> None:
        self.drawer.set_assets(self.editor.library(), self.editor.recent)

    def _pieces_changed(self, event: PiecesChanged) -> None:
        if event.added or event.removed:  # My tables' piece count, fresh
            self._tables_changed()
        else:
            self._status()

    def _tables_changed(self, _: None = None) -> None:
        self.tables_panel.show_tables(self.store, self.doc.table_id if self.doc else None)
        self._status()

    def _status(self) -> None:
        """The piece count and the title follow every edit, as the window shows them."""
        if self.doc is None:
            self.status.setText("No table open")
            self.setWindowTitle(APP_NAME)
            return
        table, unit = self.doc.table, self.view_tools.unit
        size = f"{format_length(table.width, unit)} × {format_length(table.depth, unit)}"
        count = len(self.doc.pieces)
        self.status.setText(f"{table.name} · {size} · {count} piece{'' if count == 1 else 's'}")
        self.setWindowTitle(f"{table.name} — {APP_NAME}")

    def set_inches(self, inches: bool) -> None:
        self.view_tools.set_inches(inches)
        self._status()

    # -- the rest ------------------------------------------------------------------------------

    @property
    def last_measurement(self) -> float | None:
        return self.view_tools.last_measurement

    @property
    def sync_action(self) -> QAction:
        return self.syncing.sync_action

    @property
    def sign_in_action(self) -> QAction:
        return self.syncing.sign_in_action

    @property
    def sign_out_action(self) -> QAction:
        return self.syncing.sign_out_action

    @property
    def inch_action(self) -> QAction:
        return self.actions_.inches

    def signed_in_user(self) -> str | None:
        return self.sync.signed_in_user()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.finished:
            self.online.close()
            self.thumbnails.save()
            self.shop.close()
            self.catalogue_door.shut()
        self.viewport.interactor.close()
        if self.finished:
            self.store.close()
        super().closeEvent(event)
