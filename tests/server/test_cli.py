"""`terrain-server` as an operator meets it: help, seed, and a database that is not there."""

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, User
from server.seed import DEMO_SETS, DEMO_USERS, sample_catalogue
from server.services.passwords import verify_password
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
        ["jobs"],
        ["payment-cases"],
        ["rebuild-ladders"],
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
    artists = [demo for demo in DEMO_USERS if demo.publishes]

    first = terrain_server(empty_database, "seed", env=env)
    second = terrain_server(empty_database, "seed", env=env)

    assert first.returncode == 0, first.stderr
    expected = len(artists) + len(pieces) + len(DEMO_SETS)
    assert f"Seeded {expected} new record(s)" in first.stdout
    assert second.returncode == 0 and "Seeded 0 new record(s)" in second.stdout
    assert "password" not in first.stdout
    engine = create_engine(empty_database)
    with Session(engine) as db:
        users = {u.email: (u.role, u.password_hash) for u in db.scalars(select(User))}
        assets = db.scalars(select(Asset)).all()
        sets = db.scalars(select(AssetSet)).all()
    engine.dispose()
    # Only the artists who own the sample library, and nobody can sign in as them.
    assert users == {demo.email: (demo.role.value, None) for demo in artists}
    assert len(pieces) >= 15
    assert sorted(a.name for a in assets) == sorted(p["name"] for p in pieces)
    assert {a.status for a in assets} == {"published"}
    assert all(a.thumbnail_path and (tmp_path / a.thumbnail_path).is_file() for a in assets)
    assert len(sets) == len(DEMO_SETS)


def printed_passwords(stdout: str) -> dict[str, str]:
    found = re.findall(r"sign in as (\S+) \(\w+\) with password (\S+)", stdout)
    return dict(found)


def test_seed_demo_makes_accounts_with_new_passwords_each_run(
    empty_database: str, tmp_path: Path
) -> None:
    assert terrain_server(empty_database, "migrate").returncode == 0
    env = {"TERRAIN_STORAGE_DIR": str(tmp_path)}

    first = terrain_server(empty_database, "seed", "--demo", env=env)
    second = terrain_server(empty_database, "seed", "--demo", env=env)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    before, after = printed_passwords(first.stdout), printed_passwords(second.stdout)
    assert set(before) == set(after) == {demo.email for demo in DEMO_USERS}
    assert all(len(p) >= 16 for p in after.values())
    assert not set(before.values()) & set(after.values())  # generated anew, never fixed
    engine = create_engine(empty_database)
    with Session(engine) as db:
        hashes = {u.email: u.password_hash for u in db.scalars(select(User))}
    engine.dispose()
    assert all(verify_password(hashes[email], password) for email, password in after.items())
    assert not any(verify_password(hashes[e], p) for e, p in before.items())


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


def test_several_workers_need_a_shared_rate_limit_storage() -> None:
    memory = {"TERRAIN_RATE_LIMIT_STORAGE": "memory://"}  # each process would count alone
    result = terrain_server("postgresql://unused", "serve", "--workers", "2", env=memory)

    assert result.returncode == 1
    assert "TERRAIN_RATE_LIMIT_STORAGE" in result.stderr and "Traceback" not in result.stderr
