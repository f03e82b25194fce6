"""The schema: migrations round-trip through the real CLI and agree with the models."""

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect

from server import migrate
from server.db.models import Base

REPO_ROOT = Path(__file__).resolve().parents[2]
BOOKKEEPING = {"alembic_version", "schema_migration_log"}


def terrain_server(
    database_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI as an operator would."""
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )


def table_names(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def revision_count() -> int:
    config = migrate.alembic_config("postgresql://unused")
    return len(list(ScriptDirectory.from_config(config).walk_revisions()))


def test_migrate_status_rollback_round_trip(empty_database: str) -> None:
    applied = terrain_server(empty_database, "migrate")
    assert applied.returncode == 0, applied.stderr
    assert "Applied 0001" in applied.stdout
    assert set(Base.metadata.tables) <= table_names(empty_database)

    status = terrain_server(empty_database, "migrate", "status")
    assert status.returncode == 0, status.stderr
    head = migrate.status(empty_database).head
    assert f"Current revision: {head}" in status.stdout
    assert "Pending: none" in status.stdout
    assert "applied 20" in status.stdout  # the history carries the date it was applied

    again = terrain_server(empty_database, "migrate")
    assert again.returncode == 0 and "Nothing to apply" in again.stdout

    n = revision_count()
    rollback = terrain_server(empty_database, "migrate", "rollback", str(n))
    assert rollback.returncode == 0, rollback.stderr
    assert "Rolled back 0001" in rollback.stdout
    assert table_names(empty_database) <= BOOKKEEPING
    assert migrate.status(empty_database).current is None

    reapplied = terrain_server(empty_database, "migrate")
    assert reapplied.returncode == 0, reapplied.stderr
    assert set(Base.metadata.tables) <= table_names(empty_database)


def test_rolling_back_more_than_was_applied_changes_nothing(empty_database: str) -> None:
    terrain_server(empty_database, "migrate")
    before = table_names(empty_database)

    result = terrain_server(empty_database, "migrate", "rollback", str(revision_count() + 1))

    assert result.returncode != 0
    assert "only" in result.stderr and "applied" in result.stderr
    assert table_names(empty_database) == before


def test_every_revision_downgrades_and_upgrades_again(empty_database: str) -> None:
    """The stairway: each step up, one step down, up again, so every downgrade is exercised."""
    config = migrate.alembic_config(empty_database)
    revisions = [
        s.revision for s in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]
    from alembic import command

    for revision in revisions:
        command.upgrade(config, revision)
        command.downgrade(config, "-1")
        command.upgrade(config, revision)
    assert migrate.status(empty_database).current == revisions[-1]


def _differences(database_url: str, metadata: MetaData) -> list[object]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_name": lambda name, type_, _: (
                        not (type_ == "table" and name in BOOKKEEPING)
                    ),
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    assert _differences(database_url, Base.metadata) == []


def test_the_agreement_check_notices_a_model_the_migrations_lack(database_url: str) -> None:
    """Guard for the test above: a model with no migration must show up as a difference."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True))

    differences = _differences(database_url, metadata)

    assert any(d[0] == "add_table" and d[1].name == "not_migrated" for d in differences)  # type: ignore[index]
