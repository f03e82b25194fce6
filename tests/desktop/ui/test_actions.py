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


def camera(window: MainWindow, qtbot: QtBot | None = None) -> tuple[bool, tuple[float, ...]]:
    """Where the camera is once it has glided into place (views change smoothly)."""
    if qtbot is not None:
        qtbot.waitUntil(lambda: not window.viewport.camera.moving, timeout=5000)
    plotter = window.viewport.interactor
    return bool(plotter.camera.parallel_projection), tuple(plotter.camera.position)


def test_top_and_3d_view_buttons_and_keys_move_the_camera(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    start = camera(window)
    assert start[0] is False  # a table opens in the 3D view

    toolbar_action(window, "Top view").trigger()
    parallel, position = camera(window, qtbot)
    assert parallel and position != start[1]
    table = window.doc.table  # type: ignore[union-attr]
    assert abs(position[0] - table.width / 2) < 1 and abs(position[1] - table.depth / 2) < 1

    toolbar_action(window, "3D view").trigger()
    assert camera(window, qtbot)[0] is False

    qtbot.keyClick(window, Qt.Key.Key_T)
    assert camera(window, qtbot)[0] is True
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert camera(window, qtbot)[0] is False


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


def test_the_piece_count_and_title_follow_every_edit(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    count = len(doc.pieces)
    assert f"{count} pieces" in window.status.text()
    assert window.windowTitle().startswith("Sample table")

    doc.select({"sample-boulder", "sample-barrel-cluster"})
    toolbar_action(window, "Duplicate").trigger()
    assert f"{count + 2} pieces" in window.status.text()
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert f"{count} pieces" in window.status.text()
    toolbar_action(window, "Undo").trigger()
    assert f"{count + 2} pieces" in window.status.text()

    window.editor.rename_table(doc.table_id, "Harbour raid")
    assert window.windowTitle().startswith("Harbour raid")
    assert "Harbour raid" in window.status.text()
    toolbar_action(window, "Undo").trigger()
    assert window.windowTitle().startswith("Sample table")


def test_the_rotation_knob_goes_when_another_table_opens(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    sample = window.doc.table_id  # type: ignore[union-attr]
    window.doc.select({"sample-boulder"})  # type: ignore[union-attr]
    assert window.viewport.scene.handle_position() is not None

    other = window.editor.create_table("Second", 1200, 900)
    assert window.doc is not None and window.doc.table_id == other
    assert window.viewport.scene.handle_position() is None
    window.editor.open_table(sample)
    assert window.viewport.scene.handle_position() is None


def test_the_plan_table_limit_applies_from_the_window(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.qt import QMessageBox, QWidget
    from tests.desktop.ui.conftest import answer_next_dialog

    window: MainWindow = open_window()  # anonymous: three active tables at most
    window.editor.create_table("Second", 1200, 900)
    window.editor.create_table("Third", 1200, 900)
    shown: list[str] = []

    def accept_preset(dialog: QWidget) -> None:
        dialog.accept()  # type: ignore[attr-defined]
        answer_next_dialog(qtbot, read_refusal)

    def read_refusal(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        shown.append(dialog.text())
        dialog.accept()

    answer_next_dialog(qtbot, accept_preset)
    window.actions_.new_table.trigger()
    qtbot.waitUntil(lambda: bool(shown))

    assert "3 active tables" in shown[0]
    assert len(window.store.tables()) == 3
