"""Idempotent writes: the same `Idempotency-Key` from the same account gets the same answer.

A client that lost an answer (a dropped connection, a proxy's 502/504) cannot know whether
its write happened, so it sends the request again with the same key. The first request
claims the key (one row, unique per account and key, committed before the work starts so a
concurrent twin sees it); its successful answer is stored on the row and every later request
with that key and the same method, path and body gets that answer back without the work
being done again.

- The same key with a different request is refused (422 `idempotency_key_reused`).
- A twin arriving while the first still runs is told to retry shortly (409
  `idempotency_key_in_use`, `Retry-After`): it neither waits holding a database connection
  nor does the work a second time.
- Only successes are stored. A refusal (4xx) changed nothing and a failure (5xx, e.g.
  Stripe unavailable, which cancels the order it had started) asks to be retried, so the key
  is released and a retry runs afresh.
- Keys live `KEY_LIFETIME` (24 hours) from their first use; an expired key is a new key.
  Each claim also deletes a batch of expired keys, so the table holds about a day of keys.

Like `orders.create`, `once` commits: the claim must be visible to other requests before the
work starts, and no transaction may stay open while the work talks to Stripe.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from server.db.models import IdempotencyKey
from server.errors import ApiError
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.wire import IDEMPOTENCY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH

#: How long a key is remembered after its first use.
KEY_LIFETIME = timedelta(hours=24)
#: Expired keys (of any account) removed by each claim.
PURGE_BATCH = 100
#: Seconds a twin of a running request is asked to wait before retrying.
RETRY_AFTER_SECONDS = 1

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdempotentRequest:
    """A write that carried an `Idempotency-Key`: whose, which key, and what was asked."""

    user_id: uuid.UUID
    key: str
    #: SHA-256 of method, path and body (see `fingerprint`).
    request_hash: str
    now: datetime
    #: What the route answers on success; kept with the stored answer.
    status_code: int


def checked_key(raw: str) -> str:
    """The header's key, or a 422 when it is empty, too long or not visible ASCII."""
    visible = raw.isascii() and raw.isprintable() and " " not in raw
    if visible and 1 <= len(raw) <= MAX_IDEMPOTENCY_KEY_LENGTH:
        return raw
    raise ApiError(
        422,
        ErrorCode.VALIDATION_ERROR,
        f"Invalid request: {IDEMPOTENCY_HEADER} must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} "
        "visible ASCII characters (a UUID, say).",
        [ErrorDetail(path=f"header.{IDEMPOTENCY_HEADER}", message="not a usable key")],
    )


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same": method, path and exact body bytes (a retry sends
    the very bytes it sent before)."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def once(
    db: Session, request: IdempotentRequest | None, answer: type[M], make: Callable[[], M]
) -> M:
    """`make()`'s answer, made at most once per key: a repeated key gets the stored answer.

    Without a key (`request` None) this is just `make()`. `make` may commit (an order does);
    if it raises, the key is released and the error goes on to the client.
    """
    if request is None:
        return make()
    stored = _claim(db, request)
    db.commit()
    if stored is not None:
        return answer.model_validate(stored)
    try:
        result = make()
    except BaseException:
        _release(db, request)
        raise
    db.execute(
        update(IdempotencyKey)
        .where(*_this_key(request))
        .values(status_code=request.status_code, response_body=result.model_dump(mode="json"))
    )
    db.commit()
    return result


def _release(db: Session, request: IdempotentRequest) -> None:
    """Forget the claim of a request that failed, so its retry runs afresh. Best effort: if
    the database is what failed, the claim stays (the key answers 409 until it expires, and
    the client's next action uses a new key) and the original error is what the client sees.
    """
    try:
        db.rollback()
        db.execute(delete(IdempotencyKey).where(*_this_key(request)))
        db.commit()
    except SQLAlchemyError:
        log.warning("could not release idempotency key %r", request.key, exc_info=True)


def _this_key(request: IdempotentRequest) -> tuple[Any, ...]:
    return (IdempotencyKey.user_id == request.user_id, IdempotencyKey.key == request.key)


def _claim(db: Session, request: IdempotentRequest) -> dict[str, Any] | None:
    """Claim the key (None: go ahead and do the work) or the stored answer of its first use.

    The insert relies on the unique constraint: of two requests claiming at once, one
    inserts, the other waits for it to commit and then finds its row.
    """
    expired = IdempotencyKey.expires_at <= request.now
    db.execute(delete(IdempotencyKey).where(*_this_key(request), expired))
    # Housekeeping as we go: each claim adds one row and removes up to `PURGE_BATCH` expired
    # ones (any account's; rows another request holds are skipped, not waited for).
    stale = (
        select(IdempotencyKey.id)
        .where(expired)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    db.execute(delete(IdempotencyKey).where(IdempotencyKey.id.in_(stale.scalar_subquery())))
    for _ in range(3):  # a row released between our insert and our read: claim again
        claimed = db.execute(
            insert(IdempotencyKey)
            .values(
                user_id=request.user_id,
                key=request.key,
                request_hash=request.request_hash,
                created_at=request.now,
                expires_at=request.now + KEY_LIFETIME,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(IdempotencyKey.id)
        ).first()
        if claimed is not None:
            return None
        row = db.execute(
            select(
                IdempotencyKey.request_hash,
                IdempotencyKey.status_code,
                IdempotencyKey.response_body,
            ).where(*_this_key(request))
        ).first()
        if row is None:
            continue
        if row.request_hash != request.request_hash:
            raise ApiError(
                422,
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                f"This {IDEMPOTENCY_HEADER} was used for a different request; "
                "use a new key for each action.",
            )
        if row.status_code is None or row.response_body is None:
            raise ApiError(
                409,
                ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                "The first request with this key is still being handled; try again shortly.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        body: dict[str, Any] = row.response_body
        return body
    raise ApiError(
        409,
        ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        "This key is being claimed and released by other requests; try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
