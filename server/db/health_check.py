"""Whether the database answers, for `/health`, without waiting behind the requests.

The check runs on a connection and a thread of its own. Its answer is reused for a second,
and once there is an answer a request never waits for the next one: a stale answer starts a
check in the background and is given meanwhile, so a load balancer polling `/health` during
a rush is answered at once (a `SELECT 1` behind a busy database can take a while). It learns
within a second or two that the database went away; an answer older than `stale_seconds`
(the check itself hangs) counts as "unavailable". Only the very first request waits, for
the first answer.
"""

import asyncio
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError


class DatabaseCheck:
    def __init__(
        self,
        url: str,
        connect_timeout: int,
        reuse_seconds: float = 1.0,
        stale_seconds: float = 10.0,
    ) -> None:
        self._engine = create_engine(
            url,
            pool_size=1,
            max_overflow=0,
            pool_pre_ping=False,
            connect_args={"connect_timeout": connect_timeout},
        )
        self._reuse = reuse_seconds
        self._stale = max(stale_seconds, reuse_seconds)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._ok = False
        self._running: Future[bool] | None = None

    async def ok(self) -> bool:
        age = time.monotonic() - self._checked_at
        if age < self._reuse:
            return self._ok
        running = self._start()
        if self._checked_at == float("-inf"):
            return await asyncio.wrap_future(running)  # no answer yet: wait for the first
        return self._ok and age < self._stale

    def _start(self) -> "Future[bool]":
        """The check in flight, started if there is none (never more than one)."""
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._thread.submit(self._check)
            return self._running

    def _check(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            self._ok = True
        except SQLAlchemyError:
            self._ok = False
            self._engine.dispose()  # a connection may be broken: start afresh
        self._checked_at = time.monotonic()
        return self._ok

    def close(self) -> None:
        """Close its connection (at shutdown; a later check opens a new one)."""
        self._engine.dispose()
