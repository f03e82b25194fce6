"""Engines and sessions. One engine per process and URL; no state that matters lives here."""

import time
from functools import lru_cache
from typing import Any

import pydantic_core
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

#: Connections beyond the pool for background work (storing view counts).
BACKGROUND_CONNECTIONS = 2
#: A connection that sat in the pool this long is checked before it is used.
IDLE_PING_SECONDS = 1.0
_RETURNED_AT = "returned_at"


@lru_cache(maxsize=8)
def engine_for(
    url: str, connect_timeout: int = 5, lock_timeout_ms: int = 10_000, pool_size: int = 10
) -> Engine:
    """An engine whose statements give up waiting for a row lock after `lock_timeout_ms`:
    a request stuck behind another answers 503 (try again) instead of hanging.

    Connections idle in the pool are checked before use (`_ping_when_idle`).
    The server lets at most `pool_size` requests hold a session at once (see
    `server.db.request_slots`), so requests never wait for a connection inside the pool.
    """
    engine = create_engine(
        url,
        json_serializer=_json_text,
        json_deserializer=pydantic_core.from_json,
        pool_size=pool_size,
        max_overflow=BACKGROUND_CONNECTIONS,
        connect_args={
            "connect_timeout": connect_timeout,
            # lz4 compresses a table's stored layout (JSON of up to thousands of pieces)
            # several times faster than PostgreSQL's default, for a write or a read.
            "options": f"-c lock_timeout={lock_timeout_ms} -c default_toast_compression=lz4",
        },
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use when it has been idle (as `pool_pre_ping` does
    for every use): one that died meanwhile, e.g. across a database restart, is replaced
    before a request uses it. A connection back in the pool a moment ago was working then;
    under load every connection is reused within milliseconds, and pinging each use cost
    a database round trip per request (one in five of a table read's)."""

    @event.listens_for(engine, "checkin")
    def returned(_dbapi: Any, entry: ConnectionPoolEntry) -> None:
        entry.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi: Any, entry: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        returned_at = entry.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < IDLE_PING_SECONDS:
            return  # new (it just connected), or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi)  # what pool_pre_ping sends: an empty query
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool replaces the connection and tries again, as after a failed pre-ping.
            raise exc.DisconnectionError("connection lost while idle in the pool") from error


def _json_text(value: Any) -> str:
    """JSON columns are written by pydantic's encoder: a table's layout of a thousand pieces
    is encoded about four times faster than by the standard library's."""
    return pydantic_core.to_json(value).decode()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
