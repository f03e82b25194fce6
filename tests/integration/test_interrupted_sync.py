"""Sync that is cut off — the app killed in the middle of a push, answers lost, restarts — and
tables that fill up: in the end every change is either on the server or listed as refused,
and none is there twice (the real desktop sync against the real server)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from server.settings import Settings
from terrain_desktop.store.local_store import LocalStore
from tests.integration.conftest import (
    Device,
    DropResponses,
    LiveServer,
    make_device,
    server_state,
)
from tests.integration.test_cli_online import Profile, profiles  # noqa: F401 (the fixture)

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"
REPO = Path(__file__).resolve().parents[2]


def test_the_app_killed_during_a_push_loses_and_doubles_nothing(
    live: LiveServer,
    profiles: tuple[Profile, Profile],  # noqa: F811
    engine: Engine,
) -> None:
    first, _ = profiles
    for name in ("North", "South"):
        assert first.run("new", name)[0] == 0
        assert first.run("add", name, "Boulder", "--count", "900")[0] == 0
    store = LocalStore(first.folder / "terrain.sqlite")
    waiting = store.pending_count()
    store.close()

    env = {
        **os.environ,
        "TERRAIN_DESKTOP_DATA": str(first.folder),
        "TERRAIN_SERVER_URL": live.url,
        "PYTHONPATH": str(REPO),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "terrain_desktop", "sync"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    with engine.connect() as conn:  # the server has taken the push in: kill the app now
        while not conn.execute(
            text("SELECT count(*) FROM sync_clients WHERE last_mutation_id > 0")
        ).scalar():
            assert app.poll() is None, "the sync finished before the server saw its push"
            assert time.monotonic() < deadline
            conn.commit()
            time.sleep(0.01)  # polling another process, with a deadline
    app.send_signal(signal.SIGKILL)
    app.wait(timeout=20)

    store = LocalStore(first.folder / "terrain.sqlite")
    assert 0 <= store.pending_count() <= waiting  # what was not acknowledged is still queued
    store.close()
    first.monkeypatch.setenv("TERRAIN_SERVER_URL", live.url)
    code, out, err = first.run("sync")  # the next start: the round again
    assert code == 0, (out, err)

    store = LocalStore(first.folder / "terrain.sqlite")
    session = store.get_meta("anonymous_session_id")
    assert session is not None
    on_server = server_state(live.url, {"x-session-id": session})
    assert sorted(t["name"] for t in on_server.values()) == ["North", "South"]
    for table_id, table in on_server.items():
        ids = [p["id"] for p in table["placements"]]
        assert len(ids) == len(set(ids)) == 900  # none lost, none twice
        assert sorted(ids) == sorted(p["id"] for p in store.placements(table_id))
    assert store.pending_count() == 0 and store.refusals() == []
    store.close()


@pytest.fixture
def small_tables(settings: Settings, clean_database: None) -> Iterator[LiveServer]:
    """A server whose tables hold at most four pieces: the limit bites often."""
    server = LiveServer(settings.model_copy(update={"max_assets_per_table": 4}))
    server.start()
    yield server
    server.stop()


device_index = st.integers(0, 1)
pick = st.integers(0, 20)
steps = st.one_of(
    st.tuples(st.just("create"), device_index),
    st.tuples(st.just("add"), device_index, pick, st.integers(1, 3)),
    st.tuples(st.just("remove"), device_index, pick, pick),
    st.tuples(st.just("sync"), device_index),
    st.tuples(st.just("lose_answer"), device_index),
    st.tuples(st.just("restart"), device_index),
)


class Drops:
    def __init__(self) -> None:
        self.next_push = False

    def __call__(self, request: httpx.Request) -> bool:
        if request.url.path == "/api/sync/push" and self.next_push:
            self.next_push = False
            return True
        return False


# A small fixed budget: each example is a fresh session and real rounds on the real server.
@settings(
    max_examples=int(os.environ.get("TERRAIN_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, max_size=16))
def test_every_change_is_on_the_server_or_listed_as_refused(
    small_tables: LiveServer, plan: list[tuple[Any, ...]]
) -> None:
    live = small_tables
    session = httpx.post(f"{live.url}/api/sessions").json()["session"]["id"]
    drops = [Drops(), Drops()]
    with tempfile.TemporaryDirectory() as tmp:

        def device(i: int) -> Device:
            return make_device(
                Path(tmp), f"d{i}", live.url, session_id=session, transport=DropResponses(drops[i])
            )

        devices = [device(0), device(1)]
        added: set[str] = set()
        removed: set[str] = set()
        for step in plan:
            i = step[1]
            here = devices[i]
            tables = [t.id for t in here.store.tables()]
            match step:
                case ("create", _):
                    here.store.create_table()
                case ("add", _, t, n) if tables:
                    table = tables[t % len(tables)]
                    for _ in range(n):  # each device keeps the limit it knows of
                        if len(here.store.placements(table)) >= 4:
                            break
                        piece = uuid.uuid4().hex[:12]
                        here.store.add_placement(table, MODEL, id=piece)
                        added.add(piece)
                case ("remove", _, t, p) if tables:
                    table = tables[t % len(tables)]
                    pieces = here.store.placements(table)
                    if pieces:
                        piece = pieces[p % len(pieces)]["id"]
                        here.store.remove_placement(table, piece)
                        removed.add(piece)
                case ("sync", _):
                    here.sync()
                case ("lose_answer", _):
                    drops[i].next_push = True
                    here.sync()
                case ("restart", _):
                    here.store.close()
                    here.client.close()
                    devices[i] = device(i)
        for _ in range(2):
            for here in devices:
                here.sync()

        expected = server_state(live.url, {"x-session-id": session})
        on_server = [p["id"] for table in expected.values() for p in table["placements"]]
        assert len(on_server) == len(set(on_server))  # none twice
        listed = {
            r["payload"]["placement"]["id"]
            for here in devices
            for r in here.store.refusals()
            if r["kind"] == "add_placement"
        }
        kept_here = {  # tables the server refused stay whole on the device, marked
            p["id"]
            for here in devices
            for t in here.store.tables()
            if t.sync_state == "rejected"
            for p in here.store.placements(t.id)
        }
        lost = added - removed - set(on_server) - listed - kept_here
        assert not lost, f"changes neither on the server nor listed as refused: {lost}"
        assert all(here.store.pending_count() == 0 for here in devices)
        for here in devices:
            here.store.close()
            here.client.close()


def test_closing_the_window_mid_sync_finishes_the_round_and_loses_nothing(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live: LiveServer
) -> None:
    from terrain_desktop.ui.qt import QThreadPool
    from tests.integration.online_app import choose_server, open_profile, wait_up_to_date
    from tests.integration.test_nothing_lost import fill

    folder = tmp_path / "one"
    window = open_profile(qtbot, monkeypatch, folder)
    choose_server(qtbot, window, live.url)
    wait_up_to_date(qtbot, window)
    table_id = fill(window, "Harbour", 900)
    window.sync_action.trigger()
    assert window.syncing.syncing  # a round is under way…
    window.close()  # …when the window closes
    QThreadPool.globalInstance().waitForDone()  # as the app does on its way out

    again = open_profile(qtbot, monkeypatch, folder)
    wait_up_to_date(qtbot, again)
    session = again.store.get_meta("anonymous_session_id")
    on_server = server_state(live.url, {"x-session-id": session or ""})
    ids = [p["id"] for p in on_server[table_id]["placements"]]
    assert len(ids) == len(set(ids)) == 900
    assert again.store.pending_count() == 0 and again.store.refusals() == []
