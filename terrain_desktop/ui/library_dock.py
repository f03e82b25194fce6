"""Puts the table library manager and meshes on demand into the main window: the Library dock,
the toast, the download progress in the status bar, and the Library menu (the dock, Add set…,
the mesh cache's size limit). The window registers it with one line."""

from collections.abc import Callable

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.shell import AppShell
from terrain_desktop.ui.library_panel import LibraryPanel
from terrain_desktop.ui.mesh_fetcher import MeshFetcher
from terrain_desktop.ui.panel_actions import panel_action
from terrain_desktop.ui.qt import (
    QAction,
    QDockWidget,
    QInputDialog,
    QMenu,
    QProgressBar,
    Qt,
)
from terrain_desktop.ui.toast import Toast
from terrain_desktop.ui.viewport import Viewport
from terrain_desktop.ui.window_view import WindowView


class LibraryFeatures:
    def __init__(
        self,
        shell: AppShell,
        view: WindowView,
        viewport: Viewport,
        refresh_drawer: Callable[[], None],
        browse_sets: Callable[[], None],
    ) -> None:
        """`refresh_drawer` shows the open table's library again; `browse_sets` opens the
        catalogue on its sets."""
        self.shell = shell
        self.view = view
        self.window = window = view.frame
        self.refresh_drawer = refresh_drawer
        editor = shell.editor
        self.progress = QProgressBar()
        window.statusBar().addPermanentWidget(self.progress)
        self.fetcher = MeshFetcher(
            editor,
            shell.catalogue,
            shell.sync,
            viewport,
            view.show_message,
            self.progress,
        )
        self.toast = Toast(window)
        self.operation = shell.library
        self.panel = LibraryPanel(self.operation, self.toast, view.show_message, browse_sets)
        self.dock = QDockWidget("Table library", window)
        self.dock.setObjectName("Table library")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        pieces = window.findChild(QDockWidget, "Pieces")
        if pieces is not None:  # a tab beside the drawer, which stays in front
            window.tabifyDockWidget(pieces, self.dock)
            pieces.raise_()

        editor.table_opened.connect(lambda _: self.panel.reload())
        editor.library_changed.connect(lambda _: self.panel.reload())
        self.fetcher.arrived.connect(self._arrived)

        view_menu = next(
            (a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"),
            None,
        )
        if isinstance(view_menu, QMenu):  # every panel reopens from the View menu
            view_menu.addAction(panel_action(self.dock, window))
        menu = window.menuBar().addMenu("&Library")
        menu.addAction(panel_action(self.dock, window))
        self.add_set_action = QAction("Add set…", window)
        self.add_set_action.triggered.connect(self.panel.add_set)
        menu.addAction(self.add_set_action)
        self.stop_action = QAction("Stop downloading meshes", window)
        self.stop_action.triggered.connect(self.fetcher.cancel)
        menu.addAction(self.stop_action)
        self.cache_limit_action = QAction("Mesh cache limit…", window)
        self.cache_limit_action.triggered.connect(self.ask_cache_limit)
        menu.addAction(self.cache_limit_action)
        self.panel.reload()

    def _arrived(self, _asset_id: str) -> None:
        """A mesh or what is known of an asset came: the drawer and the list show it."""
        self.refresh_drawer()
        self.panel.reload()

    def ask_cache_limit(self) -> None:
        editor = self.shell.editor
        current = editor.preferences.get(prefs.MESH_CACHE_LIMIT_MB)
        size, ok = QInputDialog.getInt(
            self.window,
            "Mesh cache",
            "Keep downloaded meshes up to (MB); the least recently used go first:",
            current,
            0,
            1_000_000,
        )
        if ok:
            self.set_cache_limit(size)

    def set_cache_limit(self, megabytes: int) -> None:
        editor = self.shell.editor
        editor.preferences.set(prefs.MESH_CACHE_LIMIT_MB, megabytes)
        cache = editor.catalogue.meshes
        cache.limit_bytes = megabytes * 1024 * 1024
        cache.pinned = self._open_assets()
        removed = cache.evict()
        self.view.show_message(
            f"Mesh cache limit: {megabytes} MB ({len(removed)} mesh(es) removed).", 8000
        )

    def _open_assets(self) -> set[str]:
        doc = self.shell.editor.doc
        return {p.asset_id for p in doc.pieces.values()} if doc is not None else set()
