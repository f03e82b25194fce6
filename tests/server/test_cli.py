"""`terrain-server` as an operator meets it: help, seed, and a database that is not there."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, User
from server.seed import DEMO_SETS, DEMO_USERS, sample_catalogue
from tests.server.test_migrations import terrain_server


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["migrate"],
        ["migrate", "status"],
        ["migrate", "rollback"],
        ["seed"],
        ["serve"],
        ["worker"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = terrain_server("postgresql://unused", *command, "--help")

    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_seed_publishes_the_sample_library_once(empty_database: str, tmp_path: Path) -> None:
    assert terrain_server(empty_database, "migrate").returncode == 0
    env = {"TERRAIN_STORAGE_DIR": str(tmp_path)}
    pieces = sample_catalogue()

    first = terrain_server(empty_database, "seed", env=env)
    second = terrain_server(empty_database, "seed", env=env)

    assert first.returncode == 0, first.stderr
    expected = len(DEMO_USERS) + len(pieces) + len(DEMO_SETS)
    assert f"Seeded {expected} new record(s)" in first.stdout
    assert second.returncode == 0 and "Seeded 0 new record(s)" in second.stdout
    engine = create_engine(empty_database)
    with Session(engine) as db:
        roles = {u.email: u.role for u in db.scalars(select(User))}
        assets = db.scalars(select(Asset)).all()
        sets = db.scalars(select(AssetSet)).all()
    engine.dispose()
    assert roles == {demo.email: demo.role.value for demo in DEMO_USERS}
    assert len(pieces) >= 15
    assert sorted(a.name for a in assets) == sorted(p["name"] for p in pieces)
    assert {a.status for a in assets} == {"published"}
    assert all(a.thumbnail_path and (tmp_path / a.thumbnail_path).is_file() for a in assets)
    assert len(sets) == len(DEMO_SETS)


@pytest.mark.parametrize("command", [["migrate", "status"], ["worker", "--once"]])
def test_unreachable_database_is_reported_plainly(command: list[str]) -> None:
    result = terrain_server("postgresql://postgres@127.0.0.1:1/terrain", *command)

    assert result.returncode == 1
    assert "Cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_seeded_sample_assets_have_the_ids_the_desktop_uses(
    empty_database: str, tmp_path: Path
) -> None:
    from terrain_desktop.domain.catalogue import bundled_library

    assert terrain_server(empty_database, "migrate").returncode == 0
    assert (
        terrain_server(
            empty_database, "seed", env={"TERRAIN_STORAGE_DIR": str(tmp_path)}
        ).returncode
        == 0
    )

    engine = create_engine(empty_database)
    with Session(engine) as db:
        ids = {str(a.id) for a in db.scalars(select(Asset))}
    engine.dispose()
    assert ids == set(bundled_library())
