"""Housekeeping: the activity log and the job outbox for work that talks to the outside world."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of

JOB_STATUSES = ["pending", "running", "done", "failed"]


class ActivityLog(Base):
    """Who did what to which record, from where, and when (`server.services.activity`).

    Operators query it by action and time (docs/DEPLOY.md, "Monitoring"), hence the index.
    """

    __tablename__ = "activity_log"
    __table_args__ = (Index("ix_activity_log_action_created_at", "action", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("anonymous_sessions.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    #: The client's address as the server saw it (the forwarded one behind a trusted proxy);
    #: empty for what the worker or an operator's command did.
    client_address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = created_at()


class Job(Base):
    """Work queued inside a database transaction and done after it commits.

    Workers claim due jobs with `FOR UPDATE SKIP LOCKED`, so several can run side by side;
    the idempotency key is what the job hands to the outside service (e.g. Stripe).
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        Index("ix_jobs_due", "status", "run_after"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]]
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    run_after: Mapped[datetime] = mapped_column(server_default=text("now()"))
    locked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None]
