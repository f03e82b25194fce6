"""Two desktop devices and the real server: offline edits merge, faults lose nothing."""

from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.integration.conftest import (
    DropResponses,
    LiveServer,
    make_device,
    register,
    server_state,
)
from tests.server.factories import make_artist, make_asset


@pytest.fixture
def account(live: LiveServer) -> tuple[str, str]:
    return register(live.url)


def two_devices(tmp_path: Path, live: LiveServer, account: tuple[str, str]):  # type: ignore[no-untyped-def]
    token, user_id = account
    a = make_device(tmp_path, "a", live.url, token=token, user_id=user_id)
    b = make_device(tmp_path, "b", live.url, token=token, user_id=user_id)
    return a, b


def test_a_table_made_offline_reaches_the_other_device(
    tmp_path: Path, live: LiveServer, account: tuple[str, str]
) -> None:
    a, b = two_devices(tmp_path, live, account)
    table = a.store.create_table("Game night", 1829, 1219)
    piece = a.store.add_placement(table, "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11", x=100, y=200)

    a.sync()
    b.sync()

    assert (
        b.state() == a.state() == server_state(live.url, {"Authorization": f"Bearer {account[0]}"})
    )
    assert b.store.placements(table)[0]["id"] == piece
    assert a.store.pending_count() == 0
    assert [p.stage for p in a.progress] == ["push", "pull", "pull"]


def test_concurrent_offline_edits_merge_per_piece_and_per_field(
    tmp_path: Path, live: LiveServer, account: tuple[str, str]
) -> None:
    a, b = two_devices(tmp_path, live, account)
    model = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"
    table = a.store.create_table("Ruins")
    p1 = a.store.add_placement(table, model, x=10, y=10)
    p2 = a.store.add_placement(table, model, x=20, y=20)
    p3 = a.store.add_placement(table, model, x=30, y=30)
    a.sync()
    b.sync()

    # Offline on both: different pieces, the same piece (different fields), move vs remove,
    # rename vs resize.
    a.store.move_placement(table, p1, x=111)
    b.store.move_placement(table, p2, y=222)
    a.store.move_placement(table, p3, rotation=45)
    b.store.move_placement(table, p3, x=333)
    a.store.move_placement(table, p2, scale=2)
    b.store.remove_placement(table, p1)
    a.store.update_table(table, name="Ruined city")
    b.store.update_table(table, width=1829)
    a.sync()
    b.sync()
    a.sync()

    expected = server_state(live.url, {"Authorization": f"Bearer {account[0]}"})
    assert a.state() == b.state() == expected
    pieces = {p["id"]: p for p in expected[table]["placements"]}
    assert p1 not in pieces  # the removal won over the concurrent move
    assert (pieces[p2]["y"], pieces[p2]["scale"]) == (222, 2)
    assert (pieces[p3]["x"], pieces[p3]["rotation"]) == (333, 45)
    assert (expected[table]["name"], expected[table]["width"]) == ("Ruined city", 1829)


def test_a_lost_push_answer_is_retried_and_applies_nothing_twice(
    tmp_path: Path, live: LiveServer, account: tuple[str, str]
) -> None:
    token, user_id = account
    dropped: list[str] = []

    def drop_first_push(request: httpx.Request) -> bool:
        if request.url.path == "/api/sync/push" and not dropped:
            dropped.append("push")
            return True
        return False

    a = make_device(
        tmp_path,
        "a",
        live.url,
        token=token,
        user_id=user_id,
        transport=DropResponses(drop_first_push),
    )
    table = a.store.create_table("Once")
    a.store.add_placement(table, "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11", id="only", x=5)

    a.sync()  # the first push's answer is lost; the client retries the same mutations

    headers = {"Authorization": f"Bearer {token}"}
    state = server_state(live.url, headers)
    assert dropped == ["push"]
    assert list(state) == [table] and len(state[table]["placements"]) == 1
    tables = httpx.get(f"{live.url}/api/tables/mine", headers=headers).json()
    # Made (version 1), one piece added (version 2): a second application would make it 3.
    assert tables["total"] == 1 and tables["tables"][0]["version"] == 2
    assert a.state() == state and a.store.pending_count() == 0


def test_server_restarted_mid_sync_loses_nothing(
    tmp_path: Path, live: LiveServer, account: tuple[str, str]
) -> None:
    token, user_id = account
    stopped: list[bool] = []

    def stop_after_push(request: httpx.Request) -> bool:
        if request.url.path == "/api/sync/push" and not stopped:
            stopped.append(True)
            live.stop()  # the push was committed; the server goes down before answering
            return True
        return False

    a = make_device(
        tmp_path,
        "a",
        live.url,
        token=token,
        user_id=user_id,
        transport=DropResponses(stop_after_push),
    )
    table = a.store.create_table("Survivor")
    a.store.add_placement(table, "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11", id="p", x=1)

    with pytest.raises(Exception, match="failed after"):
        a.sync()
    assert a.store.pending_count() == 2  # nothing forgotten while the server was away
    a.store.move_placement(table, "p", x=2)
    live.start()
    a.sync()

    state = server_state(live.url, {"Authorization": f"Bearer {token}"})
    assert state[table]["placements"][0]["x"] == 2
    assert a.state() == state and a.store.pending_count() == 0


def test_fourth_table_of_an_anonymous_device_stays_local_and_marked(
    tmp_path: Path, live: LiveServer
) -> None:
    device = make_device(tmp_path, "anon", live.url)
    device.sync()  # first contact: an anonymous session is made and kept
    session = device.client.session_id
    assert session and device.store.get_meta("anonymous_session_id") == session
    other = make_device(tmp_path, "other", live.url, session_id=session)
    for n in range(3):
        other.store.create_table(f"Elsewhere {n}")
    other.sync()
    fourth = device.store.create_table("One too many")
    device.store.add_placement(fourth, "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11", x=50)

    device.sync()

    local = device.store.table(fourth)
    assert local is not None and local.sync_state == "rejected"
    assert local.sync_error is not None and "limit" in local.sync_error
    assert len(device.store.placements(fourth)) == 1  # nothing deleted locally
    assert len(device.store.tables()) == 4  # the three from the server, and the refused one
    device.sync()
    assert device.store.table(fourth) is not None and device.store.pending_count() == 0


def test_library_edits_sync(
    tmp_path: Path, live: LiveServer, account: tuple[str, str], db: Session
) -> None:
    a, b = two_devices(tmp_path, live, account)
    artist = make_artist(db)
    hill, wall = make_asset(db, artist, "Hill"), make_asset(db, artist, "Wall")
    table = a.store.create_table("Library")
    a.store.add_library_asset(table, str(hill.id))
    a.store.add_library_asset(table, str(wall.id))
    a.sync()
    b.sync()
    b.store.remove_library_asset(table, str(wall.id))
    b.sync()
    a.sync()

    assert a.store.library(table) == b.store.library(table) == [str(hill.id)]
    assert a.state() == server_state(live.url, {"Authorization": f"Bearer {account[0]}"})


def test_a_library_set_added_and_removed_offline_syncs(
    tmp_path: Path, live: LiveServer, account: tuple[str, str], db: Session
) -> None:
    from tests.server.factories import make_set

    a, b = two_devices(tmp_path, live, account)
    artist = make_artist(db)
    members = [make_asset(db, artist, f"Rock {n}") for n in range(3)]
    rocks = make_set(db, artist, members)
    table = a.store.create_table("Set table")
    a.store.add_library_set(table, str(rocks.id))
    a.sync()
    b.sync()
    assert sorted(b.store.library(table)) == sorted(str(m.id) for m in members)

    b.store.remove_library_set(table, str(rocks.id))
    assert b.store.library(table) == []  # gone at once on this device
    b.sync()
    a.sync()

    assert a.store.library(table) == b.store.library(table) == []
    assert a.state() == server_state(live.url, {"Authorization": f"Bearer {account[0]}"})


def test_a_device_does_not_download_its_own_changes_again(
    tmp_path: Path, live: LiveServer, account: tuple[str, str]
) -> None:
    from terrain_desktop.store import sync_state

    a, b = two_devices(tmp_path, live, account)
    model = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"
    table = a.store.create_table("Keep")
    p1, p2, p3, p4 = (a.store.add_placement(table, model, x=10 * n) for n in range(1, 5))
    a.sync()
    b.sync()
    before = sync_state.cursor(a.store, a.engine.owner)

    a.store.move_placement(table, p1, x=111)  # a alone
    a.store.move_placement(table, p2, x=222)  # a, after b changed it (b syncs first)
    b.store.move_placement(table, p2, rotation=90)
    b.store.move_placement(table, p3, y=333)  # b alone
    a.store.remove_placement(table, p4)
    b.sync()
    a.sync()

    pulled = a.client.pull(a.store.client_id, before)
    assert sorted(c.placement["id"] for c in pulled.placements) == sorted([p2, p3])
    assert [s.id for s in pulled.tombstones] == [p4]
    everything = a.client.pull(a.store.client_id, 0)  # a full download sends everything
    assert len(everything.placements) == 3
    b.sync()
    expected = server_state(live.url, {"Authorization": f"Bearer {account[0]}"})
    assert a.state() == b.state() == expected
    pieces = {p["id"]: p for p in expected[table]["placements"]}
    assert (pieces[p2]["x"], pieces[p2]["rotation"]) == (222, 90)
