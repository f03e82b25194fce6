"""The toolbar, menus and shortcuts, driven as a user drives them: the real QAction or key,
never the method behind it."""

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QAction, Qt, QToolBar


def toolbar_action(window: MainWindow, text: str) -> QAction:
    bar = window.findChild(QToolBar, "main toolbar")
    assert bar is not None
    found = [a for a in bar.actions() if a.text() == text or a.text().startswith(text + " ")]
    assert found, f"no toolbar button {text!r}"
    return found[0]


def camera(window: MainWindow) -> tuple[bool, tuple[float, ...]]:
    plotter = window.viewport.interactor
    return bool(plotter.camera.parallel_projection), tuple(plotter.camera.position)


def test_top_and_3d_view_buttons_and_keys_move_the_camera(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    start = camera(window)
    assert start[0] is False  # a table opens in the 3D view

    toolbar_action(window, "Top view").trigger()
    parallel, position = camera(window)
    assert parallel and position != start[1]
    table = window.doc.table  # type: ignore[union-attr]
    assert abs(position[0] - table.width / 2) < 1 and abs(position[1] - table.depth / 2) < 1

    toolbar_action(window, "3D view").trigger()
    assert camera(window)[0] is False

    qtbot.keyClick(window, Qt.Key.Key_T)
    assert camera(window)[0] is True
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert camera(window)[0] is False


def test_delete_and_undo_buttons_change_the_table_and_the_view(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    before = len(doc.pieces)
    doc.select({"sample-boulder", "sample-barrel-cluster"})

    toolbar_action(window, "Delete").trigger()
    assert len(doc.pieces) == before - 2
    assert "sample-boulder" not in window.viewport.scene.actors

    toolbar_action(window, "Undo").trigger()  # one step brings back the whole group
    assert len(doc.pieces) == before
    assert "sample-boulder" in window.viewport.scene.actors

    doc.select({"sample-boulder"})
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert "sample-boulder" not in doc.pieces
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "sample-boulder" in doc.pieces


def test_rotate_and_duplicate_buttons_edit_the_selection(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    before = len(doc.pieces)
    doc.select({"sample-boulder"})
    turned_from = window.viewport.scene.actors["sample-boulder"].GetOrientation()[2]

    toolbar_action(window, "Rotate right").trigger()
    turned_to = window.viewport.scene.actors["sample-boulder"].GetOrientation()[2]
    assert abs(turned_to - (turned_from + 15)) < 1e-6

    toolbar_action(window, "Duplicate").trigger()
    assert len(doc.pieces) == before + 1
    assert len(window.viewport.scene.actors) == before + 1
