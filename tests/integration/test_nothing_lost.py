"""Nothing lost, nothing hidden: the table's piece limit is known when the edit is made (in the
window and the CLI), and a change the server does not accept is listed, with its reason, until
the user retries it, keeps it as a new table or undoes it (the real window and CLI against the
real server)."""

import json
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.commands import AddPieces
from terrain_desktop.domain.piece import Piece
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, Qt
from terrain_protocol.plans import DEFAULT_MAX_ASSETS
from tests.integration.conftest import LiveServer
from tests.integration.online_app import (
    activate,
    choose_server,
    indicator,
    open_profile,
    wait_up_to_date,
)
from tests.integration.test_cli_online import Profile, profiles  # noqa: F401 (the fixture)

CTRL = Qt.KeyboardModifier.ControlModifier


def fill(window: MainWindow, name: str, count: int) -> str:
    """A new table holding `count` pieces (the set-up, as one earlier edit)."""
    table_id = window.editor.create_table(name, 1800, 1200)
    doc = window.editor.doc
    assert doc is not None
    asset = window.editor.library()[0]
    pieces = [
        Piece(doc.new_piece_id(), asset.id, 20 + (i % 40) * 40, 20 + (i // 40) * 40, 0, 0)
        for i in range(count)
    ]
    assert window.editor.push(AddPieces(doc, pieces, "Fill"))
    return table_id


def pieces_on_server(live: LiveServer, session: str, table_id: str) -> int:
    answer = httpx.get(f"{live.url}/api/tables/{table_id}", headers={"x-session-id": session})
    answer.raise_for_status()
    return len(answer.json()["table"]["layout"]["models"])


def test_paste_and_duplicate_past_the_limit_are_refused_saying_it_and_nothing_is_lost(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    choose_server(qtbot, window, live.url)
    table_id = fill(window, "Crowded", DEFAULT_MAX_ASSETS - 24)
    wait_up_to_date(qtbot, window)
    doc = window.doc
    assert doc is not None
    first = sorted(doc.pieces)[:24]
    doc.select(set(first))
    activate(qtbot, window)

    qtbot.keyClick(window, Qt.Key.Key_C, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL)  # 24 more: exactly full
    assert len(doc.pieces) == DEFAULT_MAX_ASSETS
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL)  # 24 more again: 1,024 would not fit
    message = window.statusBar().currentMessage()
    assert "at most 1000 pieces" in message and "“Crowded” has 1000" in message
    assert len(doc.pieces) == DEFAULT_MAX_ASSETS  # nothing half-done
    doc.select({first[0]})
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)  # Duplicate: one more is refused too
    assert len(doc.pieces) == DEFAULT_MAX_ASSETS
    assert "at most 1000 pieces" in window.statusBar().currentMessage()

    qtbot.keyClick(window, Qt.Key.Key_F5)
    wait_up_to_date(qtbot, window)
    session = window.store.get_meta("anonymous_session_id")
    assert session is not None
    assert pieces_on_server(live, session, table_id) == DEFAULT_MAX_ASSETS
    assert len(window.store.placements(table_id)) == DEFAULT_MAX_ASSETS
    assert window.store.refusals() == []


def test_a_table_already_over_the_limit_is_kept_whole_and_marked(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "old"
    window = open_profile(qtbot, monkeypatch, folder)
    asset = window.editor.library()[0]
    over = [
        {"id": f"p{i:04d}", "modelId": asset.id, "x": i % 50 * 30, "y": i // 50 * 30}
        for i in range(1024)
    ]  # as an older version made it
    table_id = window.store.create_table("Old and big", 1800, 1200, placements=over)
    window.editor.open_table(table_id)
    window.editor.tables_changed.emit(None)

    row = window.tables_panel.list.currentItem()
    assert row is not None and "1024 pieces (over the limit)" in row.text()
    assert "at most 1000" in row.toolTip()
    doc = window.doc
    assert doc is not None and len(doc.pieces) == 1024  # kept whole
    doc.select({"p0001"})
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    assert len(doc.pieces) == 1024
    assert "at most 1000 pieces" in window.statusBar().currentMessage()


def test_changes_the_server_refused_are_listed_and_can_be_kept(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    live: LiveServer,
    profiles: tuple[Profile, Profile],  # noqa: F811
) -> None:
    """Two computers fill the same table offline; together they pass the limit. The second
    one's refused pieces are listed (CLI and window) with the server's reason, and kept."""
    first, second = profiles
    email = "two-computers@example.com"
    assert first.run("login", "--server", live.url, "--email", email, "--register")[0] == 0
    assert second.run("login", "--server", live.url, "--email", email)[0] == 0
    first.run("new", "Crowded", "--size", "6x4ft")
    assert first.run("add", "Crowded", "Boulder", "--count", "990")[0] == 0
    assert first.run("sync")[0] == 0
    assert second.run("sync")[0] == 0  # the second computer has the table too
    assert first.run("add", "Crowded", "Boulder", "--count", "8")[0] == 0
    assert first.run("sync")[0] == 0  # 998 on the server
    assert second.run("add", "Crowded", "Boulder", "--count", "5")[0] == 0  # 995 here

    code, out, _ = second.run("sync")
    assert code == 1
    assert "Changes not accepted: 3" in out
    assert out.count("Crowded: Add “Boulder” — A table holds at most 1000 pieces") == 3
    code, out, _ = second.run("status", "--json")
    state = json.loads(out)
    assert code == 1 and len(state["refused"]) == 3
    assert "Delete some pieces" in state["refused"][0]["what_to_do"]

    window = open_profile(qtbot, monkeypatch, second.folder)
    qtbot.waitUntil(lambda: indicator(window) == "3 changes not accepted", timeout=90_000)
    assert window.online.indicator.problems_button.isVisible()
    qtbot.mouseClick(window.online.indicator.problems_button, Qt.MouseButton.LeftButton)
    dialog = window.online.problems.dialog
    assert dialog is not None and dialog.list.count() == 3
    assert "A table holds at most 1000 pieces" in dialog.list.item(0).text()
    assert "piece " in dialog.list.item(0).toolTip()  # the id only on hover

    dialog.retry_button.click()  # still full: said, not sent to be refused again
    assert "at most 1000 pieces" in dialog.note.text() and dialog.list.count() == 3
    dialog.keep_button.click()  # the three pieces in a table of their own
    assert dialog.list.count() == 0
    kept = [t for t in window.store.tables() if t.name == "Crowded (not accepted)"]
    assert len(kept) == 1 and len(window.store.placements(kept[0].id)) == 3
    wait_up_to_date(qtbot, window)
    dialog.close()
    QApplication.processEvents()

    code, out, _ = second.run("status")
    assert code == 0 and "Changes not accepted: 0" in out
    code, out, _ = first.run("sync", "--json")
    assert code == 0
    assert first.run("tables")[1].count("Crowded (not accepted)") == 1


def test_a_second_computer_adds_no_second_sample_table(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    from tests.integration.online_app import sign_in

    password = "long enough pass"
    desk = open_profile(qtbot, monkeypatch, tmp_path / "desk")
    choose_server(qtbot, desk, live.url)
    sign_in(qtbot, desk, "sampled@example.com", password, register=True)
    wait_up_to_date(qtbot, desk)
    laptop = open_profile(qtbot, monkeypatch, tmp_path / "laptop")
    choose_server(qtbot, laptop, live.url)
    sign_in(qtbot, laptop, "sampled@example.com", password, register=False)
    wait_up_to_date(qtbot, laptop)
    token = laptop.sync.token()

    def names() -> list[str]:
        answer = httpx.get(
            f"{live.url}/api/tables/mine", headers={"Authorization": f"Bearer {token}"}
        )
        return [t["name"] for t in answer.json()["tables"]]

    assert names() == []  # neither untouched sample went up
    assert [t.name for t in laptop.store.tables()] == ["Sample table"]  # each keeps its own

    laptop.editor.rename_table(laptop.doc.table_id, "Laptop ruins")  # type: ignore[union-attr]
    wait_up_to_date(qtbot, laptop)
    assert names() == ["Laptop ruins"]  # once edited, it is the user's and syncs


def test_without_a_keyring_sign_in_says_so_and_a_restart_never_syncs_as_anonymous(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    import keyring
    from keyring.backends import fail

    from terrain_desktop.ui.qt import QMessageBox, QTimer
    from tests.integration.online_app import sign_in

    keyring.set_keyring(fail.Keyring())  # a computer without a keyring (the fixture restores)
    folder, email, password = tmp_path / "one", "no-keyring@example.com", "long enough pass"
    questions: list[str] = []

    def answer(choice: str) -> None:
        """When the keyring question comes (after the sign-in dialog), choose `choice`."""

        def check() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, check)
                return
            questions.append(box.text())
            next(b for b in box.buttons() if b.text() == choice).click()

        QTimer.singleShot(0, check)

    window = open_profile(qtbot, monkeypatch, folder)
    window.editor.rename_table(window.doc.table_id, "My ruins")  # type: ignore[union-attr]
    table_id = window.doc.table_id  # type: ignore[union-attr]
    choose_server(qtbot, window, live.url)
    wait_up_to_date(qtbot, window)
    answer("Sign in at each start")
    sign_in(qtbot, window, email, password, register=True)
    qtbot.waitUntil(lambda: bool(questions), timeout=30_000)
    assert "no keyring" in questions[0] and "sign-in-tokens.json" in questions[0]
    wait_up_to_date(qtbot, window)
    token = window.sync.token()
    session = window.store.get_meta("anonymous_session_id")

    def on_server() -> list[str]:
        answer = httpx.get(
            f"{live.url}/api/tables/mine", headers={"Authorization": f"Bearer {token}"}
        )
        return [t["name"] for t in answer.json()["tables"]]

    assert on_server() == ["My ruins"]
    window.close()

    again = open_profile(qtbot, monkeypatch, folder)  # the restart: the sign-in is gone
    qtbot.waitUntil(lambda: indicator(again) == "Signed out — sign in to sync", timeout=30_000)
    assert f"Signed out — sign in to sync ({email})" in again.tables_panel.plan_label.text()
    again.editor.rename_table(table_id, "Renamed after the restart")
    activate(qtbot, again)
    qtbot.keyClick(again, Qt.Key.Key_F5)  # Sync now: said, and nothing sent
    assert "Signed out — sign in to sync" in again.statusBar().currentMessage()
    assert indicator(again) == "Signed out — sign in to sync"
    assert again.store.pending_count() == 1  # the edit waits
    assert again.store.get_meta("anonymous_session_id") == session  # no anonymous session
    assert on_server() == ["My ruins"]

    answer("Keep in a file")
    sign_in(qtbot, again, email, password, register=False)
    wait_up_to_date(qtbot, again)
    assert on_server() == ["Renamed after the restart"]
    kept = folder / "sign-in-tokens.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    again.close()

    third = open_profile(qtbot, monkeypatch, folder)  # kept in the file: still signed in
    wait_up_to_date(qtbot, third)
    assert f"Signed in as {email}" in third.tables_panel.plan_label.text()


def test_archived_tables_are_listed_and_restored_in_the_window_and_the_cli(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    profiles: tuple[Profile, Profile],  # noqa: F811
) -> None:
    from terrain_desktop.ui.qt import QMessageBox, QWidget
    from tests.desktop.ui.conftest import answer_next_dialog

    first, _ = profiles
    assert first.run("new", "Old ruins")[0] == 0
    assert first.run("new", "Forest")[0] == 0
    code, out, _ = first.run("archive", "Old ruins")
    assert code == 0 and "restore" in out
    assert "Old ruins  (archived)" in first.run("tables")[1]
    assert first.run("new", "Desert")[0] == 0  # three active again: the plan is full
    code, _, err = first.run("restore", "Old ruins")
    assert code == 1 and "holds 3 active tables" in err  # said, and nothing changed
    assert "Old ruins  (archived)" in first.run("tables")[1]

    window = open_profile(qtbot, monkeypatch, first.folder)
    forest = next(t.id for t in window.store.tables() if t.name == "Forest")
    window.editor.open_table(forest)
    window.editor.tables_changed.emit(None)

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "restore it later from My tables ▸ Archived" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    answer_next_dialog(qtbot, yes)
    qtbot.mouseClick(window.tables_panel.archive_button, Qt.MouseButton.LeftButton)
    assert "Forest" not in [t.name for t in window.store.tables()]
    qtbot.mouseClick(window.tables_panel.archived_button, Qt.MouseButton.LeftButton)
    archived = window.files.archived
    assert archived is not None
    listed = [archived.list.item(i).text() for i in range(archived.list.count())]
    assert sorted(n.split(" · ")[0] for n in listed) == ["Forest", "Old ruins"]
    archived.list.setCurrentRow(next(i for i, n in enumerate(listed) if n.startswith("Old")))
    qtbot.mouseClick(archived.restore_button, Qt.MouseButton.LeftButton)
    assert window.doc is not None and window.doc.table.name == "Old ruins"  # open again
    assert [archived.list.item(i).text().split(" · ")[0] for i in range(archived.list.count())] == [
        "Forest"
    ]
    window.close()

    code, out, _ = first.run("restore", "Old ruins")
    assert code == 1  # not archived any more
    code, out, _ = first.run("tables")
    assert "Old ruins  (archived)" not in out and "Forest  (archived)" in out
