"""How many requests of this process may hold a database session at once, and who goes next.

Reads go first: a free slot goes to the longest-waiting read, so a catalogue search or a
table opened by someone is never queued behind a crowd of edits and sync pushes (which a
desktop sends in the background and retries). So that writes cannot starve, after
`reads_per_write` reads in a row have been let past a waiting write, the write goes.
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

#: Reads let past a waiting write before that write goes.
READS_PER_WRITE = 3


class RequestSlots:
    """`size` slots (as many as the process's pool has connections), reads first.

    Runs on one event loop at a time; an app may be served by more than one loop over its
    life (each test client has its own), so the waiting lists are per loop.
    """

    def __init__(self, size: int, reads_per_write: int = READS_PER_WRITE) -> None:
        self.size = size
        self.reads_per_write = reads_per_write
        self._loop: asyncio.AbstractEventLoop | None = None
        self._free = size
        self._reads: deque[asyncio.Future[None]] = deque()
        self._writes: deque[asyncio.Future[None]] = deque()
        self._passed = 0  # reads let past the oldest waiting write

    @asynccontextmanager
    async def acquire(self, *, read: bool = False) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._free = loop, self.size
            self._reads, self._writes, self._passed = deque(), deque(), 0
        if self._free > 0 and not self._reads and not self._writes:
            self._free -= 1
        else:
            waiter: asyncio.Future[None] = loop.create_future()
            (self._reads if read else self._writes).append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release()  # granted as it was cancelled: pass the slot on
                elif waiter in (queue := self._reads if read else self._writes):
                    queue.remove(waiter)
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        """Hand the slot to the next waiter, or free it."""
        while True:
            queue = self._next_queue()
            if queue is None:
                self._free += 1
                return
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _next_queue(self) -> deque[asyncio.Future[None]] | None:
        if self._writes and (not self._reads or self._passed >= self.reads_per_write):
            self._passed = 0
            return self._writes
        if self._reads:
            if self._writes:
                self._passed += 1
            return self._reads
        return None
