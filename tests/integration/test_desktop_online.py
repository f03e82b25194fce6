"""The desktop online, driven as a user drives it against the real server: registering,
automatic sync and its indicator, plans, sharing by code on a second app profile, cloning,
and the server going away mid-session."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from server.settings import Settings
from terrain_desktop.ui import plan_limit
from terrain_desktop.ui.qt import QApplication, QMessageBox, Qt, QWidget
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
    assert [t["name"] for t in mine] == ["Sample table"]

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
    qtbot.waitUntil(lambda: viewer.online.shared_view is not None, timeout=20_000)
    view = viewer.online.shared_view
    assert view is not None
    qtbot.waitExposed(view)
    assert "read-only" in view.windowTitle()
    assert len(view.doc.pieces) == pieces and len(view.viewport.scene.actors) == pieces
    # The catalogue model's mesh comes on demand and replaces its placeholder.
    scene = view.viewport.scene
    qtbot.waitUntil(lambda: "catalogue-piece" not in scene.placeholders, timeout=30_000)
    assert "unknown-piece" in scene.placeholders
    assert viewer.editor.catalogue.meshes.path(boulder) is not None
    qtbot.waitUntil(lambda: "1 piece is shown as placeholder" in view.info.text())
    assert all(t.id != table_id for t in viewer.store.tables())  # nothing stored by viewing

    qtbot.mouseClick(view.clone_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: viewer.doc is not None and viewer.doc.table.name == "Sample table (copy)",
        timeout=30_000,
    )
    assert len(viewer.doc.pieces) == pieces  # type: ignore[union-attr]
    assert "2 of 3 tables" in viewer.tables_panel.plan_label.text()
    assert httpx.get(f"{live.url}/api/tables/share/{code}").json()["table"]["clone_count"] == 1


def test_cloning_past_the_plan_limit_explains_why_and_offers_the_upgrade(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    owner = open_profile(qtbot, monkeypatch, tmp_path / "owner")
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
        qtbot.waitUntil(lambda: viewer.online.shared_view is not None, timeout=20_000)
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
    qtbot.waitUntil(lambda: indicator(window).startswith("Offline"), timeout=30_000)
    assert "1 change waiting" in indicator(window)
    # The app keeps working: another edit, undo and redo, all while offline.
    doc.select({"sample-barrel-cluster"})
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: "2 changes waiting" in indicator(window), timeout=10_000)
    assert "cannot be reached" in window.online.indicator.toolTip()

    server_process.start()
    wait_up_to_date(qtbot, window, timeout=30_000)  # by itself, without Sync now
    table = server_tables(server_process.url, session)[0]
    rotations = {p["id"]: p.get("rotation", 0) for p in table["layout"]["models"]}
    assert rotations["sample-boulder"] == 15 and rotations["sample-barrel-cluster"] == 15
    assert window.store.pending_count() == 0


def test_signing_out_sends_what_waits_first_and_the_tables_come_back_at_sign_in(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    window = open_profile(qtbot, monkeypatch, tmp_path / "one")
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
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    assert "have not reached the server" in warnings[0]
    assert window.signed_in_user() is not None
    assert window.store.pending_count() == 1

    # Back online: signing out sends it first, then the account's tables leave this computer.
    live.start()
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is None, timeout=30_000)
    assert window.store.tables() == [] and window.doc is None
    assert "Not signed in" in window.tables_panel.plan_label.text()
    assert not window.sign_out_action.isEnabled()
    wait_up_to_date(qtbot, window)  # a fresh anonymous session, holding nothing

    sign_in(qtbot, window, "leaving@example.com", PASSWORD, register=False)
    qtbot.waitUntil(lambda: window.store.table(table_id) is not None, timeout=30_000)
    assert window.store.table(table_id).name == "Renamed offline"  # type: ignore[union-attr]
