"""The worker loop: claim a due job, run its kind's handler, record how it went.

Handlers signal what should happen next by how they end: returning means done; `RetryLater`
puts the job back for a while; any other exception is retried with exponential backoff until
the kind's `max_attempts`, after which the job is `failed` and the kind's `gave_up` hook runs
(e.g. the asset is marked failed), so nothing waits forever.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from server.jobs import queue
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.services import activity

log = logging.getLogger(__name__)


class RetryLater(Exception):
    def __init__(self, delay_s: float, reason: str, count: bool = True) -> None:
        super().__init__(reason)
        self.delay_s = delay_s
        self.reason = reason
        self.count = count


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable[[Claimed, WorkerContext], None]
    #: How long a claim holds before another worker may take the job again.
    lease: timedelta
    max_attempts: int = 3
    #: First retry delay; doubled for each further attempt.
    backoff_s: float = 5.0
    gave_up: Callable[[Claimed, WorkerContext, str], None] | None = None


def run_one(ctx: WorkerContext, kinds: dict[str, JobKind]) -> bool:
    """Claim and run one due job; False when there was none."""
    with ctx.sessionmaker() as db:
        job = queue.claim(db, {name: kind.lease for name, kind in kinds.items()})
    if job is None:
        return False
    kind = kinds[job.kind]
    if job.attempts > kind.max_attempts:
        _give_up(ctx, kind, job, "the job was interrupted too many times (worker stopped)")
        return True
    try:
        kind.handler(job, ctx)
    except RetryLater as retry:
        with ctx.sessionmaker() as db:
            queue.retry_later(db, job.id, retry.delay_s, retry.reason, retry.count)
            db.commit()
        return True
    except Exception as exc:  # a handler's failure must not stop the worker
        log.exception("job %s (%s) failed on attempt %s", job.id, job.kind, job.attempts)
        error = f"{type(exc).__name__}: {exc}"
        if job.attempts >= kind.max_attempts:
            _give_up(ctx, kind, job, error)
        else:
            with ctx.sessionmaker() as db:
                queue.retry_later(db, job.id, kind.backoff_s * 2 ** (job.attempts - 1), error)
                db.commit()
        return True
    with ctx.sessionmaker() as db:
        queue.finish(db, job.id)
        db.commit()
    return True


def _give_up(ctx: WorkerContext, kind: JobKind, job: Claimed, error: str) -> None:
    with ctx.sessionmaker() as db:
        queue.give_up(db, job.id, error)
        activity.job_parked(db, job.kind, job.id, job.payload, error)
        db.commit()
    if kind.gave_up is not None:
        kind.gave_up(job, ctx, error)


def run(
    ctx: WorkerContext,
    kinds: dict[str, JobKind],
    *,
    once: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Run jobs until stopped (or, with `once`, until none is due); returns how many ran."""
    stop = stop or threading.Event()
    handled = 0
    while not stop.is_set():
        try:
            ran = run_one(ctx, kinds)
        except Exception:  # the database went away: wait and try again, never exit
            if once:
                raise
            log.exception("the worker could not claim a job")
            ran = False
        if ran:
            handled += 1
        elif once:
            break
        else:
            stop.wait(ctx.settings.worker_poll_seconds)
    return handled
