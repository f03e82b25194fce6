"""Anonymous sessions: the server's memory of someone using the app without an account."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.db.models import AnonymousSession, User
from server.errors import ApiError
from server.services import tables
from server.settings import Settings
from terrain_protocol.errors import ErrorCode

#: A session's "last seen" (and so its expiry) is written at most this often: reading with a
#: session must not write on every request.
TOUCH_INTERVAL = timedelta(minutes=5)

log = logging.getLogger(__name__)


def create(db: Session, now: datetime, ttl_days: int) -> AnonymousSession:
    session = AnonymousSession(
        id=uuid.uuid4(), created_at=now, last_seen_at=now, expires_at=now + timedelta(days=ttl_days)
    )
    db.add(session)
    db.flush()
    return session


def parse_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ApiError(
            401, ErrorCode.SESSION_INVALID, "The x-session-id header is not a session id."
        ) from None


def resolve(db: Session, raw_id: str, now: datetime, ttl_days: int) -> AnonymousSession:
    """The live session behind a header value, its life extended by this use.

    Reading takes no lock, so a request is never held up (or failed) by a write that holds the
    session's row. Each refusal carries its own code so the client knows what to do: start a
    new session (invalid, expired) or use the account the session was moved to (claimed).
    """
    session = db.get(AnonymousSession, parse_id(raw_id))
    if session is None:
        raise ApiError(401, ErrorCode.SESSION_INVALID, "Unknown session; start a new one.")
    if session.expires_at <= now:
        raise ApiError(401, ErrorCode.SESSION_EXPIRED, "This session has expired; start a new one.")
    if session.claimed_by is not None:
        raise ApiError(
            401, ErrorCode.SESSION_CLAIMED, "This session now belongs to an account; sign in."
        )
    if session.last_seen_at <= now - TOUCH_INTERVAL:
        _touch(db, session, now, ttl_days)
    return session


def _touch(db: Session, session: AnonymousSession, now: datetime, ttl_days: int) -> None:
    """Record this use in a transaction of its own that never waits for a lock.

    The row is updated only when no one holds it (`SKIP LOCKED`); a session whose row is busy
    (a write of its owner in progress) is simply touched by a later request. `FOR NO KEY
    UPDATE` lets tables referring to the session be inserted meanwhile. A failure here is
    logged, never the request's failure.
    """
    expires_at = now + timedelta(days=ttl_days)
    free = (
        select(AnonymousSession.id)
        .where(AnonymousSession.id == session.id, AnonymousSession.last_seen_at < now)
        .with_for_update(skip_locked=True, key_share=True)
        .scalar_subquery()
    )
    db.commit()  # end the read so far: the touch is its own short transaction
    try:
        touched = db.execute(
            update(AnonymousSession)
            .where(AnonymousSession.id == free)
            .values(last_seen_at=now, expires_at=expires_at)
            .returning(AnonymousSession.id)
            .execution_options(synchronize_session=False)
        ).first()
        db.commit()
    except SQLAlchemyError:
        db.rollback()
        log.warning("Could not record the use of session %s", session.id, exc_info=True)
        return
    if touched is not None:
        set_committed_value(session, "last_seen_at", now)
        set_committed_value(session, "expires_at", expires_at)


@dataclass(frozen=True)
class ClaimResult:
    session_id: uuid.UUID | None = None
    moved_table_ids: list[uuid.UUID] = field(default_factory=list)
    remaining_table_ids: list[uuid.UUID] = field(default_factory=list)


def claim(
    db: Session, raw_id: str | None, user: User, settings: Settings, now: datetime
) -> ClaimResult:
    """Move the caller's anonymous session, and its tables, to `user`'s account.

    Signing in must not fail because of a stale session header, so a session that cannot be
    claimed is simply left alone. Tables beyond the account's plan stay with the session, which
    then stays usable (unclaimed) so nothing becomes unreachable. The caller commits.
    """
    if not raw_id:
        return ClaimResult()
    try:
        session_id = uuid.UUID(raw_id.strip())
    except ValueError:
        return ClaimResult()
    session = db.scalar(
        select(AnonymousSession)
        .where(
            AnonymousSession.id == session_id,
            AnonymousSession.claimed_by.is_(None),
            AnonymousSession.expires_at > now,
        )
        .with_for_update(key_share=True)  # as `owners.lock`: foreign keys are checked meanwhile
    )
    if session is None:
        return ClaimResult()
    moved, remaining = tables.move_session_tables(db, session, user, settings, now)
    if not remaining:
        session.claimed_by = user.id
        session.claimed_at = now
    return ClaimResult(session.id if not remaining else None, moved, remaining)
