"""Parked jobs (failed after their last attempt) for operators: list them, retry one."""

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.db.models import Job
from server.services import activity
from terrain_protocol.orders import ParkedJob, ParkedJobList


def parked(db: Session, limit: int = 200) -> ParkedJobList:
    rows = db.scalars(
        select(Job).where(Job.status == "failed").order_by(Job.finished_at.desc()).limit(limit)
    ).all()
    return ParkedJobList(
        jobs=[
            ParkedJob(
                id=job.id,
                kind=job.kind,
                attempts=job.attempts,
                last_error=job.last_error,
                created_at=job.created_at,
                finished_at=job.finished_at,
            )
            for job in rows
        ]
    )


def retry(db: Session, job_id: int) -> bool:
    """Put a parked job back in the queue with fresh attempts; False if none was parked."""
    done = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "failed")
        .values(status="pending", attempts=0, run_after=func.now(), finished_at=None)
    )
    retried = bool(done.rowcount)  # type: ignore[attr-defined]
    if retried:
        activity.job_retried_by_operator(db, job_id)
    db.flush()
    return retried
