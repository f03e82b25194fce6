"""Every kind of job this server knows, and a worker context built from settings.

Add a kind here (payouts, e-mail) with its handler, lease, attempts and backoff.
"""

from server.db.engine import engine_for, session_factory
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.jobs.runner import JobKind
from server.services import asset_processing
from server.settings import Settings
from server.storage_factory import storage_for


def _asset_gave_up(job: Claimed, ctx: WorkerContext, error: str) -> None:
    asset_processing.give_up(job, ctx)


def job_kinds(settings: Settings) -> dict[str, JobKind]:
    kinds = [
        JobKind(
            name=asset_processing.KIND,
            handler=asset_processing.process,
            lease=asset_processing.lease(settings),
            max_attempts=3,
            gave_up=_asset_gave_up,
        ),
    ]
    return {kind.name: kind for kind in kinds}


def worker_context(settings: Settings) -> WorkerContext:
    engine = engine_for(
        settings.database_url, settings.database_connect_timeout, settings.lock_timeout_ms
    )
    return WorkerContext(settings, session_factory(engine), storage_for(settings))
