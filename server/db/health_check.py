"""Whether the database answers, for `/health`, without waiting behind the requests.

The check runs on a connection and a thread of its own, and its answer is reused for a
second: a load balancer polling `/health` during a rush is answered at once, and learns
within a second that the database went away.
"""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError


class DatabaseCheck:
    def __init__(self, url: str, connect_timeout: int, reuse_seconds: float = 1.0) -> None:
        self._engine = create_engine(
            url,
            pool_size=1,
            max_overflow=0,
            pool_pre_ping=False,
            connect_args={"connect_timeout": connect_timeout},
        )
        self._reuse = reuse_seconds
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._ok = False

    async def ok(self) -> bool:
        if time.monotonic() - self._checked_at < self._reuse:
            return self._ok
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._check)

    def _check(self) -> bool:
        with self._lock:
            if time.monotonic() - self._checked_at >= self._reuse:  # not checked meanwhile
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
