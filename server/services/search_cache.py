"""Catalogue search answers, reused for a moment.

A search is the same for everyone (it lists published public assets only), many people ask
the same few things, and each answer costs three queries, one of them ranking every match
(~30 ms of PostgreSQL's CPU under load). So each process keeps the answers, as the JSON it
sent, for `ttl` seconds: a repeated search costs a dictionary look-up on the event loop,
with no thread and no database connection. An asset changed through this process forgets
them at once (its session's flush says so); one changed by another process shows within
`ttl` seconds, as a search engine's index would.
"""

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from server.db.models import Asset
from server.services.catalogue import SearchQuery

_CHANGED = "assets_changed"


class Page(NamedTuple):
    """An answer as sent: its JSON and its `ETag` (hashed once, not on every hit)."""

    body: bytes
    etag: str


class SearchCache:
    def __init__(self, ttl: float, size: int = 512) -> None:
        self.ttl, self.size = ttl, size
        self._answers: OrderedDict[SearchQuery, tuple[float, int, Page]] = OrderedDict()
        self._lock = threading.Lock()
        #: Bumped when an asset changes; answers computed before that are not given.
        self.generation = 0
        #: Answers being computed, which later askers wait for instead of computing again.
        self._pending: dict[SearchQuery, asyncio.Task[Page]] = {}

    def get(self, query: SearchQuery) -> Page | None:
        """The answer, when one is kept and still fresh."""
        with self._lock:
            found = self._answers.get(query)
            if found is None:
                return None
            stored_at, generation, page = found
            if generation != self.generation or time.monotonic() - stored_at >= self.ttl:
                del self._answers[query]
                return None
            return page

    def put(self, query: SearchQuery, page: Page, generation: int) -> None:
        """Keep an answer computed when `generation` was current (unless assets changed)."""
        if self.ttl <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            self._answers[query] = (time.monotonic(), generation, page)
            self._answers.move_to_end(query)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self._answers.clear()
            self._pending.clear()  # those read the assets as they were: ask again

    async def page(self, query: SearchQuery, compute: Callable[[], Awaitable[Page]]) -> Page:
        """The kept answer, else `compute`'s, run once for everyone who asks meanwhile.

        When a popular page expires under load, every request for it until the first
        recomputation ends would otherwise run the same three queries (the ranking one is the
        most expensive query the server has) and queue for the same database slots.
        """
        found = self.get(query)
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        pending = self._pending.get(query)
        if pending is None or pending.get_loop() is not loop:
            pending = loop.create_task(self._computed(query, compute, self.generation))
            self._pending[query] = pending
            pending.add_done_callback(lambda done: self._settled(query, done))
        # A caller that goes away (its client hung up) does not cancel it for the others.
        return await asyncio.shield(pending)

    async def _computed(
        self, query: SearchQuery, compute: Callable[[], Awaitable[Page]], generation: int
    ) -> Page:
        answer = await compute()
        self.put(query, answer, generation)
        return answer

    def _settled(self, query: SearchQuery, done: "asyncio.Task[Page]") -> None:
        if self._pending.get(query) is done:
            del self._pending[query]
        if not done.cancelled():
            done.exception()  # given to every waiter; retrieved here when none is left

    def watch(self, sessions: "sessionmaker[Session]") -> None:
        """Forget every answer when a session of `sessions` writes an asset."""

        def after_flush(session: Session, _context: Any) -> None:
            changed = chain(session.new, session.dirty, session.deleted)
            if any(isinstance(row, Asset) for row in changed):
                session.info[_CHANGED] = True
                self.forget()

        def after_commit(session: Session) -> None:
            # Again once committed: a search that ran meanwhile read the rows as they were.
            if session.info.pop(_CHANGED, False):
                self.forget()

        event.listen(sessions, "after_flush", after_flush)
        event.listen(sessions, "after_commit", after_commit)
