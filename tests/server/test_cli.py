"""`terrain-server` as an operator meets it: help, seed, and a database that is not there."""

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from server.db.models import User
from server.seed import DEMO_USERS
from tests.server.test_migrations import terrain_server


@pytest.mark.parametrize(
    "command",
    [[], ["migrate"], ["migrate", "status"], ["migrate", "rollback"], ["seed"], ["serve"]],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = terrain_server("postgresql://unused", *command, "--help")

    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_seed_adds_demo_accounts_once(empty_database: str) -> None:
    assert terrain_server(empty_database, "migrate").returncode == 0

    first = terrain_server(empty_database, "seed")
    second = terrain_server(empty_database, "seed")

    assert first.returncode == 0, first.stderr
    assert f"Seeded {len(DEMO_USERS)} new record(s)" in first.stdout
    assert second.returncode == 0 and "Seeded 0 new record(s)" in second.stdout
    engine = create_engine(empty_database)
    with Session(engine) as db:
        roles = {u.email: u.role for u in db.scalars(select(User))}
    engine.dispose()
    assert roles == {demo.email: demo.role.value for demo in DEMO_USERS}


def test_unreachable_database_is_reported_plainly() -> None:
    result = terrain_server("postgresql://postgres@127.0.0.1:1/terrain", "migrate", "status")

    assert result.returncode == 1
    assert "Cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr
