"""The editor driven as a user drives it, in a real window under Xvfb."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.ui.drawer import AssetDrawer
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import (
    QApplication,
    QDialogButtonBox,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QEvent,
    QMouseEvent,
    QPointF,
    Qt,
    QWidget,
)
from terrain_desktop.ui.tables_panel import NewTableDialog
from tests.desktop.ui.conftest import (
    answer_next_dialog,
    assert_not_blank,
    assert_piece_shown_at,
    screenshot,
)

BARREL = next(a for a in bundled_library().values() if a.name == "Barrel")


def create_table_from_preset(qtbot: QtBot, window: MainWindow, name: str, preset: str) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NewTableDialog)
        dialog.name.setText(name)
        dialog.preset.setCurrentText(preset)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    qtbot.mouseClick(window.tables_panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.table.name == name)


def drag_from_drawer(
    window: MainWindow, drawer: AssetDrawer, asset_id: str, x: float, y: float
) -> None:
    """Drag a drawer thumbnail onto the table point x, y (mm): the drop carries what the
    drawer's own drag would carry."""
    item = drawer.item_for(asset_id)
    assert item is not None
    mime = drawer.list.mimeData([item])
    target = window.viewport.interactor.interactor.mapTo(
        window.viewport, window.viewport.widget_point(x, y, 0).toPoint()
    ).toPointF()
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    point = target.toPoint()  # PySide 6.11 makes drag events at whole pixels only
    for event in (
        QDragEnterEvent(point, actions, mime, buttons, keys),
        QDragMoveEvent(point, actions, mime, buttons, keys),
        QDropEvent(target, actions, mime, buttons, keys),
    ):
        QApplication.sendEvent(window.viewport, event)


def mouse_drag(window: MainWindow, start: QPointF, end: QPointF) -> None:
    """Press on `start`, move in steps with the button held, release on `end`."""
    widget = window.viewport.interactor.interactor
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton) -> None:
        global_pos = widget.mapToGlobal(pos)
        QApplication.sendEvent(widget, QMouseEvent(kind, pos, global_pos, button, left, none))

    send(QEvent.Type.MouseButtonPress, start, left)
    for step in range(1, 9):
        send(QEvent.Type.MouseMove, start + (end - start) * (step / 8), Qt.MouseButton.NoButton)
    send(QEvent.Type.MouseButtonRelease, end, left)


def test_first_launch_shows_the_dressed_sample_table(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window = open_window()

    assert window.doc is not None and window.doc.table.name == "Sample table"
    assert len(window.doc.pieces) >= 15
    assert window.drawer.list.count() == len(bundled_library())
    image = screenshot(window)
    assert_not_blank(image)
    tower = next(i for i, p in window.doc.pieces.items() if "ruined-tower" in i)
    assert_piece_shown_at(window, tower, image)


def test_build_a_table_by_hand_and_find_it_again(qtbot: QtBot, open_window, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window()

    # A new 6 x 4 ft table from the preset.
    create_table_from_preset(qtbot, window, "Skirmish", "6 × 4 ft")
    assert window.doc is not None
    table = window.doc.table
    assert (table.width, table.depth) == (1829, 1219)
    assert window.doc.pieces == {}

    # Drag a barrel from the drawer onto the middle of the table.
    drag_from_drawer(window, window.drawer, BARREL.id, 900, 600)
    qtbot.waitUntil(lambda: len(window.doc.pieces) == 1)  # type: ignore[union-attr]
    piece_id, piece = next(iter(window.doc.pieces.items()))
    assert piece.asset_id == BARREL.id and (piece.x, piece.y) == (900, 600)
    assert_piece_shown_at(window, piece_id, screenshot(window))

    # Move it with the mouse, to about (500, 300); it snaps to the 25 mm grid.
    start = window.viewport.widget_point(900, 600, BARREL.size_mm[2] / 2)
    end = window.viewport.widget_point(500, 300, BARREL.size_mm[2] / 2)
    mouse_drag(window, start, end)
    moved = window.doc.pieces[piece_id]
    assert abs(moved.x - 500) <= 25 and abs(moved.y - 300) <= 25
    assert moved.x % 25 == 0 and moved.y % 25 == 0
    assert_piece_shown_at(window, piece_id, screenshot(window))

    # Rotate it with the key, undo and redo with the keyboard.
    assert window.doc.selection == {piece_id}
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.doc.pieces[piece_id].rotation == 15
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.pieces[piece_id].rotation == 0
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.pieces[piece_id].rotation == 15
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (window.doc.pieces[piece_id].x, window.doc.pieces[piece_id].y) == (900, 600)
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    left_as = window.doc.pieces[piece_id]
    window.close()

    # Close the app and open it again: the table is there, as left.
    again = open_window()
    assert again.doc is not None and again.doc.table.name == "Skirmish"
    assert again.doc.pieces == {piece_id: left_as}
    image = screenshot(again)
    assert_not_blank(image)
    assert_piece_shown_at(again, piece_id, image)
