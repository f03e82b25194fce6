"""The `terrain-server import-legacy` command."""

from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError

from server.legacy.run import NotALegacyDatabase, run
from server.settings import get_settings, normalise_database_url
from server.storage_factory import storage_for


@click.command("import-legacy")
@click.option(
    "--from",
    "legacy_url",
    required=True,
    envvar="LEGACY_DATABASE_URL",
    help="The original system's database URL (only read).",
)
@click.option(
    "--files",
    "upload_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The original system's upload directory (the *_path columns are relative to it).",
)
@click.option("--dry-run", is_flag=True, help="Print the full report and write nothing.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the JSON report [default: legacy-import-<time>.json].",
)
def import_legacy(
    legacy_url: str, upload_dir: Path, dry_run: bool, report_path: Path | None
) -> None:
    """Bring users, models, tables, favourites, orders and payouts over from the original system.

    Safe to run again: rows imported before and unchanged since are skipped, and a run after a
    crash carries on where it stopped. The target is DATABASE_URL, migrated first.
    """
    settings = get_settings()
    if normalise_database_url(legacy_url) == settings.database_url:
        raise click.ClickException("--from names the target database itself.")
    now = datetime.now(UTC)
    try:
        report = run(legacy_url, upload_dir, settings, storage_for(settings), now, dry_run=dry_run)
    except NotALegacyDatabase as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise click.ClickException(f"Cannot reach a database ({reason}).") from None
    click.echo(report.as_text())
    path = report_path or Path(f"legacy-import-{now:%Y%m%dT%H%M%SZ}.json")
    report.save(path)
    click.echo(f"Report saved to {path}")
