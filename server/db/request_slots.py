"""How many requests of this process may hold a database session at once."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class RequestSlots:
    """A semaphore of `size` slots: as many as the process's pool has connections.

    asyncio primitives belong to the event loop that first waits on them, and an app may be
    served by more than one loop over its life (each test client has its own), so each loop
    gets its own semaphore.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._loop, self._semaphore = loop, asyncio.Semaphore(self.size)
        async with self._semaphore:
            yield
