"""The local store without Qt or a server: edits, the outbox, persistence, schema versions."""

import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from terrain_desktop.store import schema
from terrain_desktop.store.database import StoreTooNew
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import TablePlan

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "store.sqlite")


def test_each_edit_is_shown_and_queued(store: LocalStore) -> None:
    table = store.create_table("Docks", 1200, 900)
    piece = store.add_placement(table, MODEL, x=10, y=20)
    store.move_placement(table, piece, x=15)
    store.update_table(table, name="Harbour")

    assert store.table(table).name == "Harbour"  # type: ignore[union-attr]
    assert store.placements(table)[0]["x"] == 15
    kinds = [m.kind for m in store.pending()]
    assert kinds == ["create_table", "add_placement", "move_placement", "update_table"]
    ids = [m.mutation_id for m in store.pending()]
    assert ids == sorted(ids) and len(set(ids)) == 4


def test_a_bad_edit_changes_nothing(store: LocalStore) -> None:
    table = store.create_table("Docks")
    piece = store.add_placement(table, MODEL, x=10)

    with pytest.raises(ValidationError):
        store.move_placement(table, piece, scale=-1)
    with pytest.raises(ValidationError):
        store.update_table(table, width=5)

    assert store.placements(table)[0].get("scale") == 1.0
    assert store.table(table).width == 1200  # type: ignore[union-attr]
    assert store.pending_count() == 2


def test_everything_survives_a_restart(tmp_path: Path) -> None:
    first = LocalStore(tmp_path / "store.sqlite")
    table = first.create_table("Kept")
    first.add_placement(table, MODEL, id="p1", x=1)
    client_id = first.client_id
    first.close()

    again = LocalStore(tmp_path / "store.sqlite")

    assert [t.name for t in again.tables()] == ["Kept"]
    assert again.placements(table)[0]["id"] == "p1"
    assert again.client_id == client_id and again.pending_count() == 2


def test_mutation_ids_are_never_reused(store: LocalStore) -> None:
    from terrain_desktop.store import sync_state

    table = store.create_table("T")
    last = store.pending()[-1].mutation_id
    sync_state.acknowledge(store, last, [])
    store.update_table(table, name="U")

    assert store.pending()[0].mutation_id == last + 1


def test_plan_limit_applies_offline(store: LocalStore) -> None:
    for n in range(3):
        store.create_table(f"T{n}", plan=TablePlan.ANON_FREE)

    with pytest.raises(TableLimitReached, match="3 active tables"):
        store.create_table("T4", plan=TablePlan.ANON_FREE)
    assert len(store.tables()) == 3


def test_store_uses_wal_and_records_its_version(tmp_path: Path) -> None:
    LocalStore(tmp_path / "store.sqlite").close()

    with sqlite3.connect(tmp_path / "store.sqlite") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_a_store_from_a_newer_app_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    LocalStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")

    with pytest.raises(StoreTooNew, match="newer Terrain Builder"):
        LocalStore(path)


def test_a_store_of_the_first_version_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    old = LocalStore(path)
    table = old.create_table("From version 1")
    old.close()
    with sqlite3.connect(path) as raw:  # what version 1 of the app left on disk
        raw.execute("DROP TABLE local_assets")
        raw.execute("DROP TABLE refusals")  # version 3
        raw.execute("PRAGMA user_version = 1")

    upgraded = LocalStore(path)

    assert upgraded.table(table).name == "From version 1"  # type: ignore[union-attr]
    assert upgraded.local_assets() == []
    assert upgraded.refusals() == []
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
