"""Driving an import: phase by phase in dependency order, batch by batch.

Each batch is one transaction: a crash loses at most the batch in progress, and the next run
skips everything already committed (the ledger says so) and carries on. A dry run does the same
work in one transaction that is rolled back at the end, so later phases see what earlier ones
would have written, and processes no file beyond measuring it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect

from server.db.engine import engine_for, session_factory
from server.legacy import assets, orders, tables, users
from server.legacy.context import Context
from server.legacy.report import Report
from server.legacy.source import LegacyDatabase, Row, UploadDirectory
from server.settings import Settings
from server.storage import Storage

Handler = Callable[[Context, list[Row]], None]


class NotALegacyDatabase(Exception):
    """The source or the target is not what the import expects; the message says what to do."""


@dataclass(frozen=True)
class Phase:
    table: str
    handler: Handler
    batch_size: int


PHASES = [
    Phase("users", users.import_batch, 500),
    Phase("models", assets.import_batch, 50),
    Phase("favorites", assets.import_favorites, 1000),
    Phase("user_tables", lambda ctx, rows: tables.import_batch(ctx, rows, "user_table"), 500),
    Phase("example_tables", lambda ctx, rows: tables.import_batch(ctx, rows, "example_table"), 500),
    Phase("orders", orders.import_batch, 200),
    Phase("stripe_transfers", orders.import_transfers, 500),
]
_LEGACY_TABLES = {phase.table for phase in PHASES} | {"artists"}


def _check(legacy: LegacyDatabase, ctx: Context) -> None:
    missing = _LEGACY_TABLES - set(inspect(legacy.engine).get_table_names())
    if missing:
        raise NotALegacyDatabase(
            f"The source database lacks the original system's tables {sorted(missing)}."
        )
    if not inspect(ctx.db.connection()).has_table("legacy_imports"):
        raise NotALegacyDatabase(
            "The target database is not migrated; run `terrain-server migrate` first."
        )


def run(
    legacy_url: str,
    upload_dir: Path,
    settings: Settings,
    storage: Storage,
    now: datetime,
    *,
    dry_run: bool = False,
    batch_scale: float = 1.0,
    after_batch: Callable[[str, Report], None] | None = None,
) -> Report:
    """Import everything; `batch_scale` shrinks or grows every phase's batch size."""
    sessions = session_factory(engine_for(settings.database_url))
    legacy = LegacyDatabase(legacy_url)
    report = Report(dry_run=dry_run)
    try:
        with sessions() as db:
            ctx = Context(
                db,
                sessions,
                legacy,
                UploadDirectory(upload_dir),
                storage,
                settings,
                report,
                now,
                dry_run,
            )
            _check(legacy, ctx)
            users.plan_emails(ctx)
            users.load_artist_profiles(ctx)
            tables.plan_share_codes(ctx)
            for phase in PHASES:
                size = max(1, int(phase.batch_size * batch_scale))
                for rows in legacy.batches(phase.table, size):
                    phase.handler(ctx, rows)
                    if dry_run:
                        db.flush()
                    else:
                        db.commit()
                    if after_batch is not None:
                        after_batch(phase.table, report)
            tables.report_over_limit(ctx)
            assets.report_processing(ctx)
            db.rollback()  # a dry run's writes; after a real run there is nothing left open
    finally:
        legacy.close()
    return report
