"""The job table as a queue: enqueue inside the caller's transaction, claim with SKIP LOCKED.

Every kind of background work (processing uploads today; payouts and e-mail later) shares the
`jobs` table and this life cycle:

    pending --claim--> running --finish--> done
                          |---retry_later--> pending (run_after in the future)
                          '---give_up-----> failed (kept, with last_error, for an operator)

A claim commits at once (status `running`, `locked_at` now, attempts + 1), so the work runs
outside any transaction. A worker that dies mid-job leaves its job `running`; once `locked_at`
is older than the kind's lease, another worker may claim it again.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import Job


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def enqueue(
    db: Session, kind: str, payload: dict[str, Any], idempotency_key: str, delay_s: float = 0
) -> bool:
    """Queue a job in the caller's transaction (it runs only if that transaction commits).

    A second job with the same idempotency key is ignored: queueing is safe to repeat. True
    when this call queued one.
    """
    statement = (
        insert(Job)
        .values(
            kind=kind,
            payload=payload,
            idempotency_key=idempotency_key,
            run_after=func.now() + timedelta(seconds=delay_s),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Job.id)  # no row when the key was taken (psycopg's rowcount says -1)
    )
    return db.execute(statement).scalar_one_or_none() is not None


def claim(db: Session, leases: dict[str, timedelta]) -> Claimed | None:
    """Take the oldest due job of one of `leases`' kinds, or a running one whose lease ran out."""
    stale = [
        and_(Job.kind == kind, Job.locked_at < func.now() - lease) for kind, lease in leases.items()
    ]
    due = select(Job).where(
        Job.kind.in_(list(leases)),
        or_(
            and_(Job.status == "pending", Job.run_after <= func.now()),
            and_(Job.status == "running", or_(*stale)),
        ),
    )
    job = db.scalar(due.order_by(Job.run_after, Job.id).limit(1).with_for_update(skip_locked=True))
    if job is None:
        db.rollback()
        return None
    job.status = "running"
    job.locked_at = func.now()
    job.attempts = job.attempts + 1
    db.flush()
    claimed = Claimed(job.id, job.kind, dict(job.payload), int(job.attempts))
    db.commit()
    return claimed


def finish(db: Session, job_id: int) -> None:
    db.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status="done", finished_at=func.now(), locked_at=None, last_error=None)
    )


def retry_later(db: Session, job_id: int, delay_s: float, error: str, count: bool = True) -> None:
    """Put the job back for later; `count=False` gives the attempt back (it was not a try)."""
    values: dict[str, Any] = {
        "status": "pending",
        "run_after": func.now() + timedelta(seconds=delay_s),
        "locked_at": None,
        "last_error": error[:2000],
    }
    if not count:
        values["attempts"] = Job.attempts - 1
    db.execute(update(Job).where(Job.id == job_id).values(**values))


def give_up(db: Session, job_id: int, error: str) -> None:
    db.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status="failed", finished_at=func.now(), locked_at=None, last_error=error[:2000])
    )
