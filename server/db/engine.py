"""Engines and sessions. One engine per process and URL; no state that matters lives here."""

from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


@lru_cache(maxsize=8)
def engine_for(url: str, connect_timeout: int = 5, lock_timeout_ms: int = 10_000) -> Engine:
    """An engine whose statements give up waiting for a row lock after `lock_timeout_ms`:
    a request stuck behind another answers 503 (try again) instead of hanging."""
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={
            "connect_timeout": connect_timeout,
            "options": f"-c lock_timeout={lock_timeout_ms}",
        },
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
