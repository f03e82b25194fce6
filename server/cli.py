"""`terrain-server`: migrations, demo data and the web server."""

import os
import shutil
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError

from server import migrate as migrations
from server.settings import get_settings


def _database_url() -> str:
    return get_settings().database_url


def _fail_on_unreachable_database(exc: OperationalError) -> None:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    raise click.ClickException(f"Cannot reach the database ({reason}). Check DATABASE_URL.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Terrain Builder's companion server.

    Configuration comes from the environment: DATABASE_URL (default
    postgresql://postgres@127.0.0.1:5432/terrain) and TERRAIN_* settings.
    """


@main.group(invoke_without_command=True)
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Upgrade the database schema to the newest revision (with no subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        applied = migrations.upgrade(
            _database_url(),
            lambda r: click.echo(f"Applied {r.revision}  {r.message}"),
        )
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    if not applied:
        click.echo("Nothing to apply: the database is at the newest revision.")


@migrate.command("status")
def migrate_status() -> None:
    """Show the current revision, pending revisions and the history with dates."""
    try:
        status = migrations.status(_database_url())
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    click.echo(f"Current revision: {status.current or '(none: empty database)'}")
    click.echo(f"Head revision:    {status.head}")
    if status.pending:
        click.echo(
            f"Pending: {len(status.pending)} ({', '.join(r.revision for r in status.pending)})"
        )
    else:
        click.echo("Pending: none, the database is up to date.")
    click.echo("History:")
    for r in status.history:
        when = (
            f"applied {r.applied_at:%Y-%m-%d %H:%M:%S}"
            if r.applied_at
            else ("applied" if r.applied else "pending")
        )
        marker = "*" if r.revision == status.current else " "
        click.echo(f" {marker} {r.revision}  created {r.created}  {when:<28} {r.message}")


@migrate.command("rollback")
@click.argument("steps", type=click.IntRange(min=1), default=1)
def migrate_rollback(steps: int) -> None:
    """Downgrade the schema by STEPS revisions (default 1), running their downgrades."""
    try:
        migrations.rollback(
            _database_url(), steps, lambda r: click.echo(f"Rolled back {r.revision}  {r.message}")
        )
    except migrations.MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)


@main.command()
@click.option(
    "--demo",
    is_flag=True,
    help="Also make demo accounts (admin, artists, player) with new passwords, printed here.",
)
def seed(demo: bool) -> None:
    """Publish the sample library and curated sets; safe to run again.

    Its artists cannot sign in unless --demo gives them (and the other demo accounts)
    passwords: fresh ones on every run, never a fixed one.
    """
    from server.db.engine import engine_for, session_factory
    from server.seed import seed as run_seed
    from server.storage_factory import storage_for

    settings = get_settings()
    storage = storage_for(settings)
    try:
        with session_factory(engine_for(settings.database_url))() as db:
            added = run_seed(db, storage, settings, click.echo, demo_accounts=demo)
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    click.echo(f"Seeded {added} new record(s).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=lambda: os.cpu_count() or 1,
    show_default="the number of CPU cores",
    type=click.IntRange(min=1),
    help="API processes; each holds up to TERRAIN_DATABASE_POOL_SIZE database connections.",
)
@click.option(
    "--job-worker/--no-job-worker",
    default=True,
    show_default=True,
    help="Also run `terrain-server worker` (uploads, payouts, e-mail) in its own process.",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log every request (a proxy in front usually does; it costs throughput).",
)
def serve(host: str, port: int, workers: int, job_worker: bool, access_log: bool) -> None:
    """Run the HTTP API with uvicorn, and the job worker beside it unless --no-job-worker."""
    import uvicorn

    from server import forwarding

    _share_rate_limits(workers)
    temporary = _share_metrics(workers)
    from server.jobs.supervisor import WorkerProcess

    worker = WorkerProcess() if job_worker else None
    if worker is not None:
        worker.start()
    try:
        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            # X-Forwarded-For is believed from TERRAIN_TRUSTED_PROXIES only.
            **forwarding.uvicorn_options(get_settings()),
            # uvicorn restarts a worker that misses a 5 s health ping; a busy one on a small
            # machine (or one still importing) can, and its requests would be cut off.
            timeout_worker_healthcheck=30,
        )
    finally:
        if worker is not None:
            worker.stop()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _share_metrics(workers: int) -> Path | None:
    """Several API processes write their request counts to files in one directory, so a
    scrape of `/metrics` answered by any of them sums them all (prometheus_client's
    multiprocess mode). Returns the directory to remove at exit when it is a temporary one."""
    import os
    import tempfile

    from server.metrics import MULTIPROCESS_ENV

    if workers == 1 or os.environ.get(MULTIPROCESS_ENV):
        return None  # one process counts in memory; or the operator chose the directory
    configured = get_settings().metrics_dir
    directory = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # counts of an earlier run's processes
        stale.unlink()
    os.environ[MULTIPROCESS_ENV] = str(directory)  # read by each API process as it starts
    return None if configured else directory


def _share_rate_limits(workers: int) -> None:
    """Several API processes must count rate limits in one place: the configured storage, or
    else the local Redis when one answers; counting in each process's memory is refused."""
    import os

    from server import rate_limits

    if workers == 1:
        return
    configured = get_settings().rate_limit_storage
    if configured and not configured.startswith(rate_limits.MEMORY):
        return
    if not configured and rate_limits.answers(rate_limits.LOCAL_REDIS):
        os.environ["TERRAIN_RATE_LIMIT_STORAGE"] = rate_limits.LOCAL_REDIS  # for the workers
        click.echo(f"Rate limits are counted in {rate_limits.LOCAL_REDIS}, shared by all workers.")
        return
    raise click.ClickException(
        f"{workers} workers must share their rate-limit counts: set TERRAIN_RATE_LIMIT_STORAGE "
        f"(e.g. {rate_limits.LOCAL_REDIS}) or start Redis there, or serve with --workers 1."
    )


@main.command()
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit.")
def worker(once: bool) -> None:
    """Run background jobs: uploaded models (each in a sandboxed child process), artist
    payouts and their reversals (Stripe), and order e-mails (SMTP).

    Claims jobs from PostgreSQL with FOR UPDATE SKIP LOCKED, so several workers (on one or
    more machines) can run side by side. Limits come from TERRAIN_PROCESSING_MEMORY_MB,
    TERRAIN_PROCESSING_CPU_SECONDS, TERRAIN_PROCESSING_WALL_SECONDS,
    TERRAIN_MAX_UPLOAD_TRIANGLES and TERRAIN_MAX_DECOMPRESSED_BYTES. Stops on SIGTERM or
    Ctrl-C after the job in hand.
    """
    import logging
    import signal
    import threading

    from server.jobs import parent, registry, runner

    if not parent.follow_parent():
        raise click.ClickException("the `serve` that started this worker has already stopped")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    settings = get_settings()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        handled = runner.run(
            registry.worker_context(settings), registry.job_kinds(settings), once=once, stop=stop
        )
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    if once:
        click.echo(f"Ran {handled} job(s).")


@main.command()
@click.option("--retry", "retry_id", type=int, help="Queue this parked job again.")
def jobs(retry_id: int | None) -> None:
    """List background jobs that gave up (payouts, reversals, e-mail, uploads) and why."""
    from server.db.engine import engine_for, session_factory
    from server.services import job_admin

    settings = get_settings()
    try:
        with session_factory(engine_for(settings.database_url))() as db:
            if retry_id is not None:
                if not job_admin.retry(db, retry_id):
                    raise click.ClickException(f"No parked job {retry_id}.")
                db.commit()
                click.echo(f"Job {retry_id} queued again.")
                return
            parked = job_admin.parked(db).jobs
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    if not parked:
        click.echo("No parked jobs.")
    for job in parked:
        click.echo(
            f"{job.id}  {job.kind}  {job.attempts} attempts  {job.finished_at:%Y-%m-%d %H:%M}"
        )
        click.echo(f"    {job.last_error or '(no error recorded)'}")


@main.command("payment-cases")
def payment_cases() -> None:
    """List open payment cases: payments Stripe reported whose session, amount or currency
    did not match their order. The order stayed unpaid and nothing was paid out; refund the
    payment in Stripe's dashboard or settle with the buyer. Amounts are in minor units, as
    Stripe counts them (cents; whole yen for JPY)."""
    from server.db.engine import engine_for, session_factory
    from server.services import payment_cases as cases

    settings = get_settings()
    try:
        with session_factory(engine_for(settings.database_url))() as db:
            rows = cases.open_cases(db)
    except OperationalError as exc:
        _fail_on_unreachable_database(exc)
    if not rows:
        click.echo("No open payment cases.")
    for row in rows:
        case = row.case
        click.echo(
            f"{case.id}  {case.created_at:%Y-%m-%d %H:%M:%S}  order {row.order_number}  "
            f"event {case.event_id} ({case.event_type})"
        )
        click.echo(f"    {case.problem}")
        click.echo(
            f"    expected: {case.expected_amount} {case.expected_currency}"
            f"  session {case.expected_session_id or '-'}"
        )
        click.echo(
            f"    received: {_shown(case.received_amount)} {_shown(case.received_currency)}"
            f"  session {_shown(case.received_session_id)}"
            f"  payment intent {_shown(case.payment_intent_id)}"
        )


def _shown(value: object) -> str:
    return "-" if value is None else str(value)


def _register_import_legacy() -> None:
    from server.legacy.command import import_legacy

    main.add_command(import_legacy)


_register_import_legacy()


def _register_rebuild_ladders() -> None:
    from server.ladder_command import rebuild_ladders

    main.add_command(rebuild_ladders)


_register_rebuild_ladders()

if __name__ == "__main__":
    main()
