"""Idempotency keys: what a retried write answered the first time.

A client that lost an answer (a dropped connection, a proxy's 502) sends the same request
again with the same `Idempotency-Key`; the row lets the server answer with the first result
instead of doing the work twice. Keys belong to one account and expire (see
`server.services.idempotency.KEY_LIFETIME`).
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base


class IdempotencyKey(Base):
    """One key of one account: claimed while its request runs, then its stored answer.

    `status_code` is null while the first request is still running; the unique constraint
    on (user, key) is what lets only one of two simultaneous requests claim the key.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the method, path and body: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response_body: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
