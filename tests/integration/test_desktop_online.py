"""The desktop online, driven as a user drives it against the real server: registering,
automatic sync and its indicator, plans, sharing by code on a second app profile, cloning,
and the server going away mid-session."""

import itertools
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from server.settings import Settings
from terrain_desktop.ui import plan_limit
from terrain_desktop.ui.qt import QApplication, QMessageBox, Qt, QTimer, QWidget
from tests.desktop.ui.conftest import answer_next_dialog
from tests.integration.catalogue_seed import seed_catalogue
from tests.integration.conftest import LiveServer
from tests.integration.online_app import (
    ServerProcess,
    choose_server,
    indicator,
    open_profile,
    sign_in,
    type_into_input,
    wait_up_to_date,
)
from tests.keyring_memory import MemoryKeyring

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def quick_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds soon after an edit, and every few seconds (retries while offline too)."""
    monkeypatch.setenv("TERRAIN_SYNC_DELAY", "0.3")
    monkeypatch.setenv("TERRAIN_SYNC_INTERVAL", "3")


def server_tables(url: str, headers: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    answer = httpx.get(f"{url}/api/tables/mine", headers=headers)
    answer.raise_for_status()
    return answer.json()["tables"]  # type: ignore[no-any-return]


def test_register_from_the_app_keeps_the_token_only_in_the_keyring(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    live: LiveServer,
    memory_keyring: MemoryKeyring,
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    assert indicator(window) == "Not syncing"  # no server chosen: nothing leaves
    assert "Not signed in" in window.tables_panel.plan_label.text()
    assert "Free (no account) plan · 1 of 3 tables" in window.tables_panel.plan_label.text()

    choose_server(qtbot, window, live.url)
    wait_up_to_date(qtbot, window)  # it syncs by itself once a server is chosen
    sign_in(qtbot, window, "maker@example.com", PASSWORD, register=True)
    wait_up_to_date(qtbot, window)

    assert "Signed in as maker@example.com" in window.tables_panel.plan_label.text()
    assert "Free plan · 1 of 3 tables" in window.tables_panel.plan_label.text()
    assert window.sign_out_action.isEnabled()
    user = window.signed_in_user()
    token = memory_keyring.get_password("terrain-builder", f"{live.url}|{user}")
    assert token
    mine = server_tables(live.url, {"Authorization": f"Bearer {token}"})
    assert mine == []  # the untouched sample stays on this computer

    # Nothing the app wrote holds the token: every file of its data directory, any encoding.
    window.close()
    files = [p for p in (tmp_path / "one").rglob("*") if p.is_file()]
    assert any(p.name == "terrain.sqlite" for p in files)
    for path in files:
        data = path.read_bytes()
        for form in (token.encode(), token.encode("utf-16-le"), token[8:40].encode()):
            assert form not in data, path


def test_a_second_profile_signing_in_sees_the_first_profiles_tables(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    first = open_profile(qtbot, monkeypatch, tmp_path / "desk")
    choose_server(qtbot, first, live.url)
    sign_in(qtbot, first, "two-places@example.com", PASSWORD, register=True)
    wait_up_to_date(qtbot, first)
    first.editor.rename_table(first.doc.table_id, "Desk table")  # type: ignore[union-attr]
    wait_up_to_date(qtbot, first)
    desk_table = first.doc.table_id  # type: ignore[union-attr]

    second = open_profile(qtbot, monkeypatch, tmp_path / "laptop")
    choose_server(qtbot, second, live.url)
    sign_in(qtbot, second, "two-places@example.com", PASSWORD, register=False)
    wait_up_to_date(qtbot, second)

    names = {t.id: t.name for t in second.store.tables()}
    assert names.get(desk_table) == "Desk table"
    listed = [
        second.tables_panel.list.item(i).text() for i in range(second.tables_panel.list.count())
    ]
    assert any(text.startswith("Desk table") for text in listed)
    assert "2 of 3 tables" in second.tables_panel.plan_label.text()  # its own moved up too


def test_share_open_by_code_on_a_second_profile_and_clone_it(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    live: LiveServer,
    db: Session,
    settings: Settings,
) -> None:
    boulder = seed_catalogue(db, settings).assets["Mossy Boulder"]
    owner = open_profile(qtbot, monkeypatch, tmp_path / "owner")
    choose_server(qtbot, owner, live.url)
    wait_up_to_date(qtbot, owner)
    table_id = owner.doc.table_id  # type: ignore[union-attr]

    owner.online.share_action.trigger()
    dialog = owner.online.share_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.code.text()) == 16)
    code = dialog.code.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == code
    qtbot.mouseClick(dialog.public, Qt.MouseButton.LeftButton)  # make it public
    wait_up_to_date(qtbot, owner)
    assert httpx.get(f"{live.url}/api/tables/{table_id}").json()["table"]["is_public"] is True
    qtbot.mouseClick(dialog.public, Qt.MouseButton.LeftButton)  # and private again
    wait_up_to_date(qtbot, owner)
    assert httpx.get(f"{live.url}/api/tables/{table_id}").status_code == 404
    dialog.close()

    # The owner's other device adds a catalogue model the second profile has never had, and
    # one whose model no server has (it stays a placeholder).
    session = {"x-session-id": owner.store.get_meta("anonymous_session_id") or ""}
    current = httpx.get(f"{live.url}/api/tables/{table_id}", headers=session).json()["table"]
    added = [
        {"id": "catalogue-piece", "modelId": boulder, "x": 300, "y": 300},
        {"id": "unknown-piece", "modelId": str(uuid.uuid4()), "x": 600, "y": 450},
    ]
    layout = {"models": [*current["layout"]["models"], *added]}
    httpx.patch(
        f"{live.url}/api/tables/{table_id}", json={"layout": layout}, headers=session
    ).raise_for_status()
    pieces = len(layout["models"])

    viewer = open_profile(qtbot, monkeypatch, tmp_path / "viewer")
    choose_server(qtbot, viewer, live.url)
    wait_up_to_date(qtbot, viewer)
    answer_next_dialog(qtbot, type_into_input(qtbot, f" {code[:8].lower()} {code[8:]} "))
    qtbot.keyClick(
        viewer,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: viewer.online.shared_view is not None, timeout=60_000)
    view = viewer.online.shared_view
    assert view is not None
    qtbot.waitExposed(view)
    assert "read-only" in view.windowTitle()
    assert len(view.doc.pieces) == pieces and len(view.viewport.scene.actors) == pieces
    # The catalogue model's mesh comes on demand and replaces its placeholder.
    scene = view.viewport.scene
    qtbot.waitUntil(lambda: "catalogue-piece" not in scene.placeholders, timeout=90_000)
    assert "unknown-piece" in scene.placeholders
    assert viewer.editor.catalogue.meshes.path(boulder) is not None
    qtbot.waitUntil(lambda: "1 piece is shown as placeholder" in view.info.text())
    assert all(t.id != table_id for t in viewer.store.tables())  # nothing stored by viewing

    qtbot.mouseClick(view.clone_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: viewer.doc is not None and viewer.doc.table.name == "Sample table (copy)",
        timeout=90_000,
    )
    assert len(viewer.doc.pieces) == pieces  # type: ignore[union-attr]
    assert "2 of 3 tables" in viewer.tables_panel.plan_label.text()
    assert httpx.get(f"{live.url}/api/tables/share/{code}").json()["table"]["clone_count"] == 1


def test_cloning_past_the_plan_limit_explains_why_and_offers_the_upgrade(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    owner = open_profile(qtbot, monkeypatch, tmp_path / "owner")
    owner.editor.rename_table(owner.doc.table_id, "Owner's table")  # type: ignore[union-attr]
    choose_server(qtbot, owner, live.url)
    wait_up_to_date(qtbot, owner)
    code = owner.store.table(owner.doc.table_id).share_code  # type: ignore[union-attr]
    assert code

    viewer = open_profile(qtbot, monkeypatch, tmp_path / "viewer")
    viewer.editor.create_table("Second", 1200, 900)
    viewer.editor.create_table("Third", 1200, 900)
    choose_server(qtbot, viewer, live.url)
    wait_up_to_date(qtbot, viewer)
    assert "3 of 3 tables" in viewer.tables_panel.plan_label.text()
    upgrades: list[QWidget] = []
    plan_limit.set_upgrade(upgrades.append)
    try:
        viewer.online.open_code(code)
        qtbot.waitUntil(lambda: viewer.online.shared_view is not None, timeout=60_000)
        shown: list[str] = []

        def upgrade(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            shown.append(box.text())
            button = next(b for b in box.buttons() if b.text() == "Upgrade…")
            button.click()

        answer_next_dialog(qtbot, upgrade)
        view = viewer.online.shared_view
        assert view is not None
        qtbot.mouseClick(view.clone_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(upgrades))
    finally:
        plan_limit.set_upgrade(None)
    assert "holds 3 active tables" in shown[0] and "Archive a table" in shown[0]
    assert len(viewer.store.tables()) == 3


def test_a_hung_server_never_freezes_the_window(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A server that takes connections and never answers (as a hung one does): the round
    waits in the background while the window's event loop keeps turning, and after the
    timeouts the indicator says offline with the reason; editing goes on."""
    monkeypatch.setenv("TERRAIN_SYNC_TIMEOUT", "3")
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)  # the kernel accepts; nobody ever reads or answers
        window = open_profile(qtbot, monkeypatch, tmp_path / "one")
        doc = window.doc
        assert doc is not None
        doc.select({"sample-boulder"})
        qtbot.keyClick(window, Qt.Key.Key_R)
        # The checks dock re-checks the table on the GUI thread after an edit: let it finish
        # before timing, so only the sync is measured.
        qtbot.waitUntil(lambda: not window.checks.watcher._timer.isActive())
        choose_server(qtbot, window, f"http://127.0.0.1:{hung.getsockname()[1]}")
        qtbot.waitUntil(lambda: indicator(window) == "Syncing…", timeout=60_000)
        ticks: list[float] = []
        timer = QTimer(window, interval=20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        qtbot.waitUntil(lambda: indicator(window).startswith("Offline"), timeout=90_000)
        timer.stop()
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        # A call on the GUI thread would stall it for the 3 s timeout at least; a busy
        # machine's jitter stays well under 1 s.
        assert len(ticks) > 100 and max(gaps) < 1.0, max(gaps)
        assert "timed out" in window.online.indicator.toolTip()
        waiting = window.store.pending_count()
        assert indicator(window) == f"Offline · {waiting} changes waiting"
        qtbot.keyClick(window, Qt.Key.Key_R)  # and editing goes on, offline
        assert doc.pieces["sample-boulder"].rotation == 30
        expected = f"Offline · {waiting + 1} changes waiting"
        qtbot.waitUntil(lambda: indicator(window) == expected, timeout=60_000)


@pytest.fixture
def server_process(settings: Settings, clean_database: None) -> Iterator[ServerProcess]:
    server = ServerProcess(settings)
    server.start()
    yield server
    server.stop()


def test_the_server_stopping_mid_session_loses_nothing(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    server_process: ServerProcess,
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    choose_server(qtbot, window, server_process.url)
    wait_up_to_date(qtbot, window)
    doc = window.doc
    assert doc is not None
    session = {"x-session-id": window.store.get_meta("anonymous_session_id") or ""}

    server_process.stop()
    doc.select({"sample-boulder"})
    window.viewport.interactor.interactor.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R)  # rotate right, offline
    assert doc.pieces["sample-boulder"].rotation == 15
    qtbot.waitUntil(lambda: indicator(window).startswith("Offline"), timeout=90_000)
    assert indicator(window) == "Offline · 1 change waiting"
    # The app keeps working: another edit, undo and redo, all while offline.
    doc.select({"sample-barrel-cluster"})
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: indicator(window) == "Offline · 2 changes waiting", timeout=60_000)
    assert "cannot be reached" in window.online.indicator.toolTip()

    server_process.start()
    wait_up_to_date(qtbot, window, timeout=90_000)  # by itself, without Sync now
    table = server_tables(server_process.url, session)[0]
    rotations = {p["id"]: p.get("rotation", 0) for p in table["layout"]["models"]}
    assert rotations["sample-boulder"] == 15 and rotations["sample-barrel-cluster"] == 15
    assert window.store.pending_count() == 0


def test_signing_out_sends_what_waits_first_and_the_tables_come_back_at_sign_in(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    choose_server(qtbot, window, live.url)
    wait_up_to_date(qtbot, window)
    sign_in(qtbot, window, "leaving@example.com", PASSWORD, register=True)
    wait_up_to_date(qtbot, window)
    table_id = window.doc.table_id  # type: ignore[union-attr]

    # Offline, with a change waiting: signing out would strand it, so the app says so.
    live.stop()
    window.editor.rename_table(table_id, "Renamed offline")
    warnings: list[str] = []

    def read_warning(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        warnings.append(box.text())
        box.accept()

    answer_next_dialog(qtbot, read_warning)
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=90_000)
    assert "have not reached the server" in warnings[0]
    assert window.signed_in_user() is not None
    assert window.store.pending_count() == 1

    # Back online: signing out sends it first, then the account's tables leave this computer.
    live.start()
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is None, timeout=90_000)
    assert window.store.tables() == [] and window.doc is None
    assert "Not signed in" in window.tables_panel.plan_label.text()
    assert not window.sign_out_action.isEnabled()
    wait_up_to_date(qtbot, window)  # a fresh anonymous session, holding nothing

    sign_in(qtbot, window, "leaving@example.com", PASSWORD, register=False)
    qtbot.waitUntil(lambda: window.store.table(table_id) is not None, timeout=90_000)
    assert window.store.table(table_id).name == "Renamed offline"  # type: ignore[union-attr]


def test_a_refusal_shows_as_an_error_with_the_servers_reason(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    live: LiveServer,
    memory_keyring: MemoryKeyring,
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    choose_server(qtbot, window, live.url)
    sign_in(qtbot, window, "revoked@example.com", PASSWORD, register=True)
    wait_up_to_date(qtbot, window)
    token = memory_keyring.get_password("terrain-builder", f"{live.url}|{window.signed_in_user()}")
    # The sign-in ends elsewhere (revoked on the server), so the next round is refused.
    httpx.post(
        f"{live.url}/api/auth/logout", headers={"Authorization": f"Bearer {token}"}
    ).raise_for_status()
    window.editor.rename_table(window.doc.table_id, "After the revocation")  # type: ignore[union-attr]

    qtbot.keyClick(window, Qt.Key.Key_F5)  # Sync now
    expected = "Sync error: Invalid or revoked token; sign in again."
    qtbot.waitUntil(lambda: indicator(window) == expected, timeout=90_000)
    assert "kept on this computer" in window.online.indicator.toolTip()
    assert window.store.pending_count() == 1  # the rename waits for the next sign-in
