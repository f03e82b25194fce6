"""The desktop window syncing with the real server: edits go up, refusals show, nothing is
lost when the server cannot be reached."""

from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from tests.integration.conftest import LiveServer


def test_sync_now_sends_the_sample_table_and_brings_back_others(
    qtbot: QtBot,
    open_window,
    live: LiveServer,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    window.store.set_meta("server_url", live.url)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    session = window.store.get_meta("anonymous_session_id")
    assert session and "Synced" in window.statusBar().currentMessage()
    pending = window.store.pending_count()
    assert pending == 0 and any("change(s) sent…" in m for m in shown)  # progress on the way
    on_server = httpx.get(f"{live.url}/api/tables/mine", headers={"x-session-id": session}).json()
    assert [t["name"] for t in on_server["tables"]] == ["My first table"]  # edited: it went up
    assert len(on_server["tables"][0]["layout"]["models"]) == len(window.doc.pieces)  # type: ignore[union-attr]

    # Another device of the same session adds a table; the next sync brings it here.
    httpx.post(
        f"{live.url}/api/tables",
        json={"name": "From the laptop"},
        headers={"x-session-id": session},
    ).raise_for_status()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)
    names = [
        window.tables_panel.list.item(i).text() for i in range(window.tables_panel.list.count())
    ]
    assert any(n.startswith("From the laptop") for n in names)


def test_an_unreachable_server_keeps_every_edit(qtbot: QtBot, open_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    window.store.set_meta("server_url", "http://127.0.0.1:1")
    pending = window.store.pending_count()

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    assert "Sync failed" in window.statusBar().currentMessage()
    assert window.store.pending_count() == pending > 0


def test_signing_in_moves_the_edited_sample_table_to_a_new_account(
    qtbot: QtBot,
    open_window,
    live: LiveServer,
    memory_keyring,  # type: ignore[no-untyped-def]
) -> None:
    from terrain_desktop.ui.qt import QDialogButtonBox, QWidget
    from terrain_desktop.ui.sign_in_dialog import SignInDialog
    from tests.desktop.ui.conftest import answer_next_dialog

    window: MainWindow = open_window()
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    window.store.set_meta("server_url", live.url)
    window.sync_action.trigger()  # first, anonymously
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.email.setText("painter@example.com")
        dialog.password.setText("a long enough password")
        dialog.register.setChecked(True)
        dialog.confirm.setText("a long enough password")  # typed twice for a new account
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    user_id = window.signed_in_user()
    token = memory_keyring.get_password("terrain-builder", f"{live.url}|{user_id}")
    assert token and token not in (window.store.path.read_bytes().decode("latin-1"))
    mine = httpx.get(f"{live.url}/api/tables/mine", headers={"Authorization": f"Bearer {token}"})
    assert [t["name"] for t in mine.json()["tables"]] == ["My first table"]
    assert [t.name for t in window.store.tables()] == ["My first table"]  # nothing lost here

    window.sign_out_action.trigger()
    assert window.signed_in_user() is None
    assert memory_keyring.get_password("terrain-builder", f"{live.url}|{user_id}") is None


def test_a_wrong_password_is_explained(qtbot: QtBot, open_window, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.qt import QDialogButtonBox, QMessageBox, QWidget
    from terrain_desktop.ui.sign_in_dialog import SignInDialog
    from tests.desktop.ui.conftest import answer_next_dialog

    window: MainWindow = open_window()
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    window.store.set_meta("server_url", live.url)
    shown: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.email.setText("nobody@example.com")
        dialog.password.setText("wrong password")
        answer_next_dialog(qtbot, warning)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    def warning(box: QWidget) -> None:
        if isinstance(box, SignInDialog):  # still closing: look again
            answer_next_dialog(qtbot, warning)
            return
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)

    assert "Wrong e-mail or password" in shown[0]
    assert window.signed_in_user() is None
