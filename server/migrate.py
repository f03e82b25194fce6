"""Schema migrations as the CLI offers them: upgrade, status with history, real rollback."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import create_engine, inspect, text

import migrations

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


class MigrationError(Exception):
    """A migration request that cannot be carried out, with a message for the operator."""


@dataclass(frozen=True)
class RevisionInfo:
    revision: str
    message: str
    created: str
    applied: bool
    applied_at: datetime | None


@dataclass(frozen=True)
class Status:
    current: str | None
    head: str
    pending: list[RevisionInfo]
    history: list[RevisionInfo]


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # configparser treats % as interpolation; URLs may carry %-escapes.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _scripts(config: Config) -> ScriptDirectory:
    return ScriptDirectory.from_config(config)


def _created(script: Script) -> str:
    for line in (script.module.__doc__ or "").splitlines():
        if line.startswith("Create Date:"):
            return line.removeprefix("Create Date:").strip()[:19]
    return ""


def _current(database_url: str) -> tuple[str | None, dict[str, datetime]]:
    """The applied revision and, for each revision, when it was last upgraded to."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            applied_at: dict[str, datetime] = {}
            if inspect(connection).has_table("schema_migration_log"):
                rows = connection.execute(
                    text(
                        "SELECT revision, max(applied_at) FROM schema_migration_log "
                        "WHERE direction = 'upgrade' GROUP BY revision"
                    )
                )
                applied_at = {revision: at for revision, at in rows}
    finally:
        engine.dispose()
    return current, applied_at


def status(database_url: str) -> Status:
    scripts = _scripts(alembic_config(database_url))
    current, applied_at = _current(database_url)
    applied_ids: set[str] = set()
    if current is not None:
        applied_ids = {s.revision for s in scripts.iterate_revisions(current, "base")}
    history = [
        RevisionInfo(
            revision=s.revision,
            message=s.doc,
            created=_created(s),
            applied=s.revision in applied_ids,
            applied_at=applied_at.get(s.revision) if s.revision in applied_ids else None,
        )
        for s in reversed(list(scripts.walk_revisions()))
    ]
    head = scripts.get_current_head()
    assert head is not None, "the migrations directory has no revisions"
    return Status(
        current=current,
        head=head,
        pending=[r for r in history if not r.applied],
        history=history,
    )


def upgrade(database_url: str, report: Callable[[RevisionInfo], None]) -> list[RevisionInfo]:
    """Apply every pending revision; report each as it is known to have been applied."""
    before = status(database_url)
    command.upgrade(alembic_config(database_url), "head")
    for revision in before.pending:
        report(revision)
    return before.pending


def rollback(
    database_url: str, steps: int, report: Callable[[RevisionInfo], None]
) -> list[RevisionInfo]:
    """Run the downgrades of the last `steps` applied revisions, newest first."""
    if steps < 1:
        raise MigrationError("The number of revisions to roll back must be at least 1.")
    applied = [r for r in status(database_url).history if r.applied]
    if steps > len(applied):
        raise MigrationError(f"Cannot roll back {steps} revision(s): only {len(applied)} applied.")
    command.downgrade(alembic_config(database_url), f"-{steps}")
    reverted = list(reversed(applied))[:steps]
    for revision in reverted:
        report(revision)
    return reverted
