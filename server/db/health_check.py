"""Whether the database answers, for `/health`, without waiting behind the requests.

The check runs on a connection and a thread of its own. Its answer is reused for a second,
and once there is an answer a request never waits for the next one: a stale answer starts a
check in the background and is given meanwhile, so a load balancer polling `/health` during
a rush is answered at once (a `SELECT 1` behind a busy database can take a while). It learns
within a second or two that the database went away; a check that has not answered for
`stale_seconds` (it hangs) counts as "unavailable". Only a request with no recent answer to
reuse (the first, or the first after nobody asked for a while) waits, for a fresh one.
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
        self._started_at = float("inf")

    async def ok(self) -> bool:
        now = time.monotonic()
        age = now - self._checked_at
        if age < self._reuse:
            return self._ok
        running = self._start()
        if now - self._started_at >= self._stale:
            return False  # the check in flight has not answered for that long: it hangs
        if age >= self._stale:
            # No answer yet, or none for a while (nobody asked): wait for a fresh one.
            return await asyncio.wrap_future(running)
        return self._ok

    def _start(self) -> "Future[bool]":
        """The check in flight, started if there is none (never more than one)."""
        with self._lock:
            if self._running is None or self._running.done():
                self._started_at = time.monotonic()
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
