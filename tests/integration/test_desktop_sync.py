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
    window.store.set_meta("server_url", live.url)

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    session = window.store.get_meta("anonymous_session_id")
    assert session and "Synced" in window.statusBar().currentMessage()
    on_server = httpx.get(f"{live.url}/api/tables/mine", headers={"x-session-id": session}).json()
    assert [t["name"] for t in on_server["tables"]] == ["Sample table"]
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
    window.store.set_meta("server_url", "http://127.0.0.1:1")
    pending = window.store.pending_count()

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)

    assert "Sync failed" in window.statusBar().currentMessage()
    assert window.store.pending_count() == pending > 0
