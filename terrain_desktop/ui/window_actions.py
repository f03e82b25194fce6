"""The main window's menus, toolbar and shortcuts: each action calls one operation."""

from collections.abc import Callable
from typing import Protocol

from terrain_desktop.app.shell import AppShell
from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.ui.artist_controller import ArtistController
from terrain_desktop.ui.file_commands import FileCommands
from terrain_desktop.ui.help_menu import HelpMenu
from terrain_desktop.ui.icons import decorate
from terrain_desktop.ui.panel_actions import panel_action
from terrain_desktop.ui.qt import (
    QAction,
    QDockWidget,
    QKeySequence,
    QMenu,
    QTimer,
    QToolBar,
    QUndoStack,
)
from terrain_desktop.ui.shop_controller import ShopController
from terrain_desktop.ui.shortcut_guard import ShortcutGuard
from terrain_desktop.ui.sync_controller import SyncController
from terrain_desktop.ui.tour import Tour
from terrain_desktop.ui.view_tools import ViewTools
from terrain_desktop.ui.viewport import Viewport
from terrain_desktop.ui.window_view import WindowView

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


class ActionHost(WindowView, Protocol):
    """The parts of the window its actions call (the window is one; a test could be another)."""

    files: FileCommands
    viewport: Viewport
    view_tools: ViewTools
    undo_stack: QUndoStack
    syncing: SyncController
    shop: ShopController
    artists: ArtistController

    def set_inches(self, inches: bool) -> None: ...
    def open_catalogue(self) -> object: ...


class WindowActions:
    def __init__(self, shell: AppShell, host: ActionHost) -> None:
        self.window = window = host.frame
        editor, viewport, tools, files = shell.editor, host.viewport, host.view_tools, host.files
        self.viewport = viewport
        self.toolbar = bar = QToolBar("Main")
        bar.setObjectName("main toolbar")
        window.addToolBar(bar)
        menus = window.menuBar()
        file_menu, edit_menu, view_menu = (menus.addMenu(t) for t in ("&File", "&Edit", "&View"))

        self.new_table = self.add(
            file_menu, "New table…", files.new_table, QKeySequence.StandardKey.New, bar
        )
        self.sample_dungeon = self.add(file_menu, "Open sample dungeon", files.open_sample_dungeon)
        self.add(file_menu, "Import model…", files.import_model, "Ctrl+I", bar)
        self.catalogue = self.add(
            file_menu, "Browse catalogue…", host.open_catalogue, "Ctrl+K", bar
        )
        self.add(file_menu, "Export view as PNG…", lambda: files.export_png(), "Ctrl+E")
        self.add(file_menu, "Export print list as CSV…", lambda: files.export_csv())
        self.add(file_menu, "Export build plan (PDF)…", lambda: files.export_plan())
        self.add(file_menu, "Print plan (3MF plates)…", lambda: files.print_plan())
        file_menu.addSeparator()
        for action in host.syncing.actions:
            window.addAction(action)
            file_menu.addAction(action)
        bar.addAction(host.syncing.sync_action)
        file_menu.addSeparator()
        self.add(file_menu, "Quit", window.close, QKeySequence.StandardKey.Quit)

        self.undo = host.undo_stack.createUndoAction(window, "Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = host.undo_stack.createRedoAction(window, "Redo")
        self.redo.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )
        for action in (self.undo, self.redo):
            window.addAction(action)
            edit_menu.addAction(action)
            bar.addAction(action)
        bar.addSeparator()
        edit_menu.addSeparator()

        def turn(degrees: float) -> None:
            viewport.motion.moving()  # a held key repeats: the full frame once it is let go
            editor.rotate(degrees, viewport.snapping, viewport.each_in_place)

        self.add(edit_menu, "Rotate left", lambda: turn(-15), "Q", bar)
        self.add(edit_menu, "Rotate right", lambda: turn(15), "R", bar)
        self.each_in_place = self.add(
            edit_menu, "Turn each piece in place", self._each_in_place, checkable=True
        )
        self.add(edit_menu, "Duplicate", editor.duplicate, "Ctrl+D", bar)
        self.add(edit_menu, "Copy", editor.copy, QKeySequence.StandardKey.Copy, bar)
        self.add(edit_menu, "Paste", editor.paste, QKeySequence.StandardKey.Paste, bar)
        self.add(edit_menu, "Delete", editor.delete, QKeySequence.StandardKey.Delete, bar)
        self.add(edit_menu, "Grid size…", files.ask_grid)
        self.snap = self.add(edit_menu, "Snap to grid", self._snap, "G", checkable=True)
        self.snap.setChecked(True)
        self.edge_snap = self.add(edit_menu, "Edge snapping", self._edge_snap, "E", checkable=True)
        self.edge_snap.setChecked(viewport.edges.on)
        viewport.hint.connect(lambda text: host.show_message(text, 4000))

        bar.addSeparator()
        # Views glide into place; `triggered(bool)` would fill a defaulted argument, so wrap.
        self.add(view_menu, "Top view", lambda: viewport.show_top(), "T", bar)
        self.add(view_menu, "3D view", lambda: viewport.show_3d(), "P", bar)
        self.add(view_menu, "Frame all", lambda: viewport.frame_all(), "Home")
        self.add(view_menu, "Frame selection", lambda: viewport.frame_selection())
        self.add(view_menu, "Save camera view", tools.save_view, "Ctrl+Shift+S")
        self.add(view_menu, "Restore camera view", tools.restore_view, "Ctrl+Shift+R")
        self.ruler = self.add(view_menu, "Ruler", tools.toggle_ruler, "M", bar, checkable=True)
        self.inches = self.add(view_menu, "Show inches", host.set_inches, checkable=True)
        self.inches.setChecked(tools.unit == LengthUnit.INCH)
        self.shadows = self.add(
            view_menu, "Shadows", viewport.set_shadows, None, bar, checkable=True
        )
        shop_menu = menus.addMenu("&Shop")
        for action in host.shop.actions:
            window.addAction(action)
            shop_menu.addAction(action)
        artist_menu = menus.addMenu("&Artist")
        for action in host.artists.actions:
            window.addAction(action)
            artist_menu.addAction(action)

        view_menu.addSeparator()
        for dock in window.findChildren(QDockWidget):  # closed panels come back from here
            view_menu.addAction(panel_action(dock, window))
        view_menu.addAction(panel_action(bar, window))
        self.help = HelpMenu(window, viewport.keys.values())
        self.tour = Tour(window, editor.preferences)  # "What's this": on first start
        self.whats_this = self.add(self.help.menu, "What's this? (a short tour)", self.tour.start)
        QTimer.singleShot(0, self.tour.start_if_new)
        self.guard = ShortcutGuard(window)  # Ctrl+U in a text box uploads, not clears it
        decorate(bar)

    def add(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[..., object],
        shortcut: Shortcut = None,
        toolbar: QToolBar | None = None,
        *,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.window.addAction(action)
        menu.addAction(action)
        if toolbar is not None:
            toolbar.addAction(action)
        return action

    def _each_in_place(self, on: bool) -> None:
        """Off (the default): a group turns about its centre and keeps its shape."""
        self.viewport.each_in_place = on

    def _edge_snap(self, on: bool) -> None:
        """Pieces meet their neighbours edge to edge, with grid snapping on or off."""
        self.viewport.edges.on = on
        self.window.statusBar().showMessage(
            "Edge snapping on: pieces dropped near another meet it edge to edge"
            if on
            else "Edge snapping off",
            4000,
        )

    def _snap(self, on: bool) -> None:
        self.viewport.snapping = on
