"""Small things a user notices: shortcuts in text fields, names and labels."""

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QMessageBox, Qt, QWidget
from tests.desktop.ui.conftest import answer_next_dialog


def test_ctrl_u_in_a_properties_box_uploads_and_leaves_the_box_alone(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select({"sample-ruined-tower"})
    field = window.properties.fields["x"].lineEdit()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    before = field.text()
    seen: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.text())
        dialog.accept()

    answer_next_dialog(qtbot, answer)
    qtbot.keyClick(field, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))

    assert "Sign in first" in seen[0]  # the upload's own answer when signed out
    assert field.text() == before  # the box was not cleared
    # Plain keys still type: R in the box does not turn the piece, Delete does not delete it.
    qtbot.keyClick(field, Qt.Key.Key_R)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert doc.pieces["sample-ruined-tower"].rotation == 0
    assert "sample-ruined-tower" in doc.pieces
