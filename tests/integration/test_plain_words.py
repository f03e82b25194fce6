"""The status tells the truth and speaks the user's language: a server that is down is never
shown as green "Up to date", and no message shows request lines, errno numbers or hex ids
(pieces by name, the id on hover) — the real window against the real server."""

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.app.sync_status import SyncState, SyncStatus
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import Qt
from tests.desktop.ui.test_cart import choose_in_drawer
from tests.integration.conftest import LiveServer
from tests.integration.online_app import (
    activate,
    choose_server,
    indicator,
    open_profile,
    wait_up_to_date,
)
from tests.integration.test_catalogue_browser import open_catalogue

TECHNICAL = re.compile(r"Errno|GET |POST |/api/|https?://|\b[0-9a-f]{16}\b")


def test_a_server_that_stops_is_never_shown_green_and_is_explained_in_words(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    folder = tmp_path / "one"
    window = open_profile(qtbot, monkeypatch, folder)
    window.editor.rename_table(window.doc.table_id, "My ruins")  # type: ignore[union-attr]
    choose_server(qtbot, window, live.url)
    wait_up_to_date(qtbot, window)

    live.stop()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: indicator(window) == "Offline", timeout=60_000)
    message = window.statusBar().currentMessage()
    assert "Sync failed: connection refused" in message and not TECHNICAL.search(message)
    assert not TECHNICAL.search(window.online.indicator.toolTip())
    window.close()

    # The next start, the server still down: before its first round, and after.
    again = MainWindow(LocalStore(folder / "terrain.sqlite"))
    qtbot.addWidget(again)
    seen: list[SyncStatus] = [again.syncing.status]
    again.syncing.status_changed.connect(seen.append)
    assert indicator(again) == "Not synced yet"  # not "Up to date": nothing heard yet
    again.show()
    qtbot.waitUntil(lambda: indicator(again) == "Offline", timeout=60_000)
    assert SyncState.UP_TO_DATE not in [s.state for s in seen], [s.text for s in seen]
    activate(qtbot, again)

    choose_in_drawer(qtbot, again, "Pine tree")
    again.shop.add_to_cart_action.trigger()
    total = again.shop.cart_panel.total
    qtbot.waitUntil(lambda: "Prices unavailable" in total.text(), timeout=60_000)
    assert "connection refused" in total.text()
    assert not TECHNICAL.search(total.text())
    live.start()


def test_checks_name_the_pieces_and_keep_their_ids_for_the_tooltip(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window: MainWindow = open_profile(qtbot, monkeypatch, tmp_path / "one")
    doc = window.doc
    assert doc is not None
    doc.select({"sample-boulder"})
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # overlaps it
    [copy] = doc.selection
    panel = window.checks

    def about_copy() -> list[int]:
        return [i for i, f in enumerate(panel.findings) if copy in f.pieces]

    qtbot.waitUntil(lambda: bool(about_copy()), timeout=10_000)
    item = panel.list.item(about_copy()[0])
    assert "Boulder" in item.text() and copy not in item.text()
    assert not TECHNICAL.search(item.text())
    assert copy in item.toolTip()


def test_the_catalogue_explains_a_server_gone_away_in_words(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    choose_server(qtbot, window, live.url)
    catalogue = open_catalogue(qtbot, window)
    browser = catalogue.browser
    qtbot.waitUntil(lambda: bool(browser.timings) and browser.timings[0].shown is not None)

    live.stop()
    catalogue.tabs.setCurrentWidget(catalogue.sets)  # the Sets tab loads when first shown
    title = catalogue.sets.title
    qtbot.waitUntil(lambda: title.text().startswith("Could not load"), timeout=60_000)
    assert "connection refused" in title.text(), title.text()
    assert not TECHNICAL.search(title.text())
    live.start()
