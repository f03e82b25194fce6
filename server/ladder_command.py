"""`terrain-server rebuild-ladders`: queue ladder builds for assets processed before the server
kept its level-of-detail ladders, or (`--all`) for every asset after the ladders' rules changed
(`server.services.ladder_rebuild`)."""

import click
from sqlalchemy.exc import OperationalError

from server.settings import get_settings


@click.command("rebuild-ladders")
@click.option("--run", "run_now", is_flag=True, help="Also run the queued builds now.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Rebuild every ready asset's ladder (once per ladder version), not only missing ones.",
)
def rebuild_ladders(run_now: bool, every: bool) -> None:
    """Queue a `build_ladder` job for every ready asset without stored mesh tiers (with --all,
    for every ready asset: after an upgrade that changes how ladders are made, e.g. tiers
    that keep the shape, so stored previews follow the new rule).

    Until it has them, such an asset is shown in 3D only to its artist, admins and buyers. The
    worker (`terrain-server worker`, started by `serve`) builds each in its sandboxed child;
    with --run this command runs them itself and exits. Safe to run again: assets that have
    a ladder, or a build already queued, are left alone. A rebuilt ladder's old files are
    removed from storage once no asset names them.
    """
    from server.db.engine import engine_for, session_factory
    from server.jobs import registry, runner
    from server.services import ladder_rebuild

    settings = get_settings()
    try:
        with session_factory(engine_for(settings.database_url))() as db:
            queued = ladder_rebuild.queue_missing(db, every)
            db.commit()
        click.echo(f"Queued {queued} ladder build(s).")
        if run_now and queued:
            context = registry.worker_context(settings)
            handled = runner.run(context, registry.job_kinds(settings), once=True)
            click.echo(f"Ran {handled} job(s).")
    except OperationalError as exc:
        raise click.ClickException(f"The database is unreachable: {exc.orig}") from None
