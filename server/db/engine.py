"""Engines and sessions. One engine per process and URL; no state that matters lives here."""

from functools import lru_cache
from typing import Any

import pydantic_core
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

#: Connections beyond the pool for background work (storing view counts).
BACKGROUND_CONNECTIONS = 2


@lru_cache(maxsize=8)
def engine_for(
    url: str, connect_timeout: int = 5, lock_timeout_ms: int = 10_000, pool_size: int = 10
) -> Engine:
    """An engine whose statements give up waiting for a row lock after `lock_timeout_ms`:
    a request stuck behind another answers 503 (try again) instead of hanging.

    The server lets at most `pool_size` requests hold a session at once (see
    `server.db.request_slots`), so requests never wait for a connection inside the pool.
    """
    return create_engine(
        url,
        json_serializer=_json_text,
        json_deserializer=pydantic_core.from_json,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=BACKGROUND_CONNECTIONS,
        connect_args={
            "connect_timeout": connect_timeout,
            # lz4 compresses a table's stored layout (JSON of up to thousands of pieces)
            # several times faster than PostgreSQL's default, for a write or a read.
            "options": f"-c lock_timeout={lock_timeout_ms} -c default_toast_compression=lz4",
        },
    )


def _json_text(value: Any) -> str:
    """JSON columns are written by pydantic's encoder: a table's layout of a thousand pieces
    is encoded about four times faster than by the standard library's."""
    return pydantic_core.to_json(value).decode()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
