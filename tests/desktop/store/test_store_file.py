"""A store file made by an earlier app opens with all its data, and a new one is the same file.

The store was SQLAlchemy Core until it moved to the standard library's `sqlite3` (start-up
imported SQLAlchemy for it: benchmarks/RESULTS.md). Users' stores were written by that code, so
`store_v3_sqlalchemy.sql` is one it wrote (dumped as SQL text), read here by today's store.
"""

import re
import sqlite3
from pathlib import Path

from terrain_desktop.store import sync_state
from terrain_desktop.store.local_store import LocalStore

WRITTEN_BEFORE = Path(__file__).with_name("store_v3_sqlalchemy.sql")
SAMPLE = "12ee52d2-3247-4961-8935-b675f5010841"
HARBOUR = "8a20d9bf-d302-48e7-8120-ac1510bc09c5"
SERVER = "00000000-0000-0000-0000-000000000063"
OLD = "d58af959-5f53-4301-80be-e3855543db2b"


def _asset(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def _old_store(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.executescript(WRITTEN_BEFORE.read_text())


def _schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        return dict(rows.fetchall())


def test_a_store_written_by_the_earlier_app_opens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    _old_store(path)

    store = LocalStore(path)

    tables = [
        (t.id, t.name, t.status, t.sync_state, t.is_public, t.share_code, t.max_assets)
        for t in store.tables(include_archived=True)
    ]
    assert tables == [
        (SERVER, "From the server", "active", "synced", False, "ABCD1234", 50),
        (SAMPLE, "Sample table", "active", "sample", False, None, None),
        (HARBOUR, "Harbour", "active", "local", True, None, None),
        (OLD, "Old table", "archived", "local", False, None, None),
    ]
    harbour = store.table(HARBOUR)
    assert harbour is not None
    assert (harbour.description, harbour.sync_error) == ("Docks at dusk", "No such asset")
    assert store.placements(HARBOUR)[1] == {
        "id": "p1",
        "modelId": _asset(1),
        "x": 10.5,
        "y": 20.0,
        "z": 2.0,
        "rotation": 90.0,
        "scale": 1.5,
    }
    assert [p.id for p in store.pieces(SERVER)] == ["q1"]
    assert store.library(HARBOUR) == [_asset(3)]  # the fourth was removed
    assert store.library(SAMPLE) == [_asset(1), _asset(2)]
    pending = store.pending()
    assert [(m.mutation_id, m.kind) for m in pending] == [
        (3, "move_placement"),
        (4, "update_table"),
        (5, "add_library_asset"),
        (6, "add_library_asset"),
        (8, "create_table"),
        (9, "archive_table"),
    ]
    assert pending[1].model_dump()["fields"]["is_public"] is True
    refusal = store.refusals()[0]
    assert (refusal["mutation_id"], refusal["kind"], refusal["code"]) == (
        7,
        "remove_library_asset",
        "asset_not_found",
    )
    assert refusal["payload"] == {"asset_id": _asset(4)}
    local = store.local_assets()[0]
    assert (local["name"], local["size_z"], local["triangles"]) == ("My ruin", 75.25, 1234)
    assert str(store.client_id) == "46f7c9ea-b38c-445a-bad9-8a70a603e9e1"
    assert store.get_meta("last_table") == HARBOUR
    assert sync_state.cursor(store, "someone@example.com") == 7

    # ...and goes on: the next edit takes the next id (ids are never reused), the pull's
    # re-application of the outbox reads the old rows, and the sample is still queued whole
    # at its first edit.
    store.update_table(HARBOUR, name="Harbour at night")
    assert store.pending()[-1].mutation_id == 10
    store.move_placement(SAMPLE, "s1", x=150)
    assert [m.kind for m in store.pending()[-4:]] == [
        "create_table",
        "add_library_asset",
        "add_library_asset",
        "move_placement",
    ]
    assert store.table(SAMPLE).sync_state == "local"  # type: ignore[union-attr]
    store.close()


def test_a_new_store_is_the_file_the_earlier_app_made(tmp_path: Path) -> None:
    """Same tables, word for word: a store made now opens in an earlier app (same version)."""
    LocalStore(tmp_path / "new.sqlite").close()
    _old_store(tmp_path / "old.sqlite")

    new, old = _schema(tmp_path / "new.sqlite"), _schema(tmp_path / "old.sqlite")

    assert new == old
    assert set(new) >= {"tables", "placements", "library", "outbox", "refusals", "meta"}
    assert re.search(r"mutation_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT", new["outbox"])
    with sqlite3.connect(tmp_path / "new.sqlite") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 3
