"""Small things a user notices: shortcuts in text fields, names and labels."""

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QMessageBox, Qt, QWidget
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


def test_signing_up_asks_for_the_password_twice(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.qt import QDialogButtonBox
    from terrain_desktop.ui.sign_in_dialog import SignInDialog

    window: MainWindow = open_window()
    seen: dict[str, bool] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["confirm hidden signing in"] = not dialog.confirm.isVisible()
        qtbot.keyClicks(dialog.email, "new@example.com")
        qtbot.keyClicks(dialog.password, "a long enough password")
        dialog.register.setChecked(True)
        seen["confirm shown signing up"] = dialog.confirm.isVisible()
        qtbot.keyClicks(dialog.confirm, "a long enough passwerd")
        seen["ok refused when they differ"] = not ok.isEnabled()
        seen["says so"] = dialog.mismatch.isVisible()
        dialog.confirm.clear()
        qtbot.keyClicks(dialog.confirm, "a long enough password")
        seen["ok when they match"] = ok.isEnabled()
        dialog.reject()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert all(seen.values()), seen


def test_the_upload_wizard_guesses_no_category_and_names_them_properly(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.upload_wizard import UploadWizard

    window: MainWindow = open_window()
    wizard = UploadWizard(window.shell.artist, window)
    qtbot.addWidget(wizard)
    page = wizard.details_page
    page.name.setText("Curved flagstones")
    assert page.category.currentIndex() == -1 and not page.isComplete()
    labels = [page.category.itemText(i) for i in range(page.category.count())]
    assert "Hills" in labels and "Modular dungeon" in labels and "hills" not in labels

    page.category.setCurrentText("Modular dungeon")
    assert page.isComplete()
    assert page.category.currentData() == "modular-dungeon"  # what the server is sent


def test_prices_carry_their_currency() -> None:
    from decimal import Decimal

    from terrain_desktop.domain.money import format_money
    from terrain_desktop.ui.catalogue_browser import price_text

    assert price_text(Decimal("4.5")) == "$4.50" and price_text(Decimal("0")) == "Free"
    assert format_money(Decimal("1234.5"), "eur") == "€1,234.50"
    assert format_money(Decimal("3"), "chf") == "3.00 CHF"


def test_my_tables_counts_the_pieces_as_they_are_added_and_deleted(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    panel = window.tables_panel.list

    def sample_label() -> str:
        return next(
            panel.item(i).text()
            for i in range(panel.count())
            if panel.item(i).text().startswith("Sample table")
        )

    assert "17 pieces" in sample_label()
    doc.select({"sample-boulder", "sample-barrel-cluster"})
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert "15 pieces" in sample_label()
    window.actions_.undo.trigger()
    assert "17 pieces" in sample_label()


def test_a_first_start_tour_shows_three_callouts_and_can_be_dismissed_for_good(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    tour = window.actions_.tour
    qtbot.waitUntil(tour.isVisible)
    seen = []
    for _ in range(3):
        target = tour.target()
        seen.append(target.windowTitle() if target is not window.viewport else "table")
        assert tour.isVisible() and tour.geometry().intersects(window.rect())
        qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
    assert seen == ["Pieces", "table", "Properties"]
    assert not tour.isVisible()
    window.close()

    again = open_window()  # finished once: not shown at the next start
    QApplication.processEvents()  # the start-up timer has run
    assert not again.actions_.tour.isVisible()
    again.actions_.whats_this.trigger()  # but Help ▸ What's this? shows it again
    assert again.actions_.tour.isVisible()
    qtbot.mouseClick(again.actions_.tour.never_button, Qt.MouseButton.LeftButton)
    assert not again.actions_.tour.isVisible()
