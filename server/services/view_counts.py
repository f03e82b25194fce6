"""Counting views without making a read wait or write.

A view of a public table or an asset is tallied in this process's memory and added to the
database in batches, about once a second, by a background thread: a read never takes a row
lock, never waits behind a write that holds the row, and a popular row is updated once per
batch rather than once per view. Rows someone holds at flush time are skipped (`SKIP LOCKED`)
and kept for the next batch. Views not yet stored when the process is killed outright are
lost; a normal shutdown stores them (`close`).
"""

import logging
import threading
import uuid
from collections import Counter

from sqlalchemy import Engine, case, select, update
from sqlalchemy.exc import SQLAlchemyError

from server.db.models import Asset, GameTable

log = logging.getLogger(__name__)

Counted = type[GameTable] | type[Asset]
COUNTED: tuple[Counted, ...] = (GameTable, Asset)


class ViewCounter:
    def __init__(self, engine: Engine, interval_seconds: float = 1.0) -> None:
        self._engine = engine
        self._interval = interval_seconds
        self._pending: dict[Counted, Counter[uuid.UUID]] = {model: Counter() for model in COUNTED}
        self._in_flight = 0  # views taken out of _pending by a flush that has not finished
        self._lock = threading.Lock()  # guards _pending, _in_flight and _thread
        self._flushing = threading.Lock()  # one flush at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, model: Counted, row_id: uuid.UUID) -> None:
        """Count one view of a row (stored within about `interval_seconds`)."""
        with self._lock:
            self._pending[model][row_id] += 1
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="view-counts", daemon=True)
                self._thread.start()

    def pending(self) -> int:
        """Views counted but not stored yet (0 once every view recorded so far is stored)."""
        with self._lock:
            return self._in_flight + sum(c.total() for c in self._pending.values())

    def flush(self) -> int:
        """Store what can be stored now; returns the views left for a later flush."""
        with self._flushing:
            for model in COUNTED:
                with self._lock:
                    batch, self._pending[model] = self._pending[model], Counter()
                    self._in_flight += batch.total()
                if not batch:
                    continue
                try:
                    stored = self._store(model, batch)
                except SQLAlchemyError:
                    log.warning(
                        "Could not store %d view(s); will retry", batch.total(), exc_info=True
                    )
                    stored = set()
                left = Counter({row: n for row, n in batch.items() if row not in stored})
                with self._lock:
                    self._pending[model].update(left)
                    self._in_flight -= batch.total()
        return self.pending()

    def close(self) -> None:
        """Stop the background thread and store what is left (at shutdown)."""
        self._stop.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.flush()

    def _store(self, model: Counted, batch: Counter[uuid.UUID]) -> set[uuid.UUID]:
        """Add the batch to the rows no one holds, in one short transaction; their ids."""
        free = (
            select(model.id)
            .where(model.id.in_(list(batch)))
            .with_for_update(skip_locked=True, key_share=True)
        )
        added = case(dict(batch), value=model.id, else_=0)
        with self._engine.begin() as connection:
            rows = connection.execute(
                update(model)
                .where(model.id.in_(free))
                .values(view_count=model.view_count + added)
                .returning(model.id)
            )
            return {row[0] for row in rows}
