"""Sync you don't think about: a round shortly after edits stop, one every so often, and
retries with a growing pause while the server cannot be reached.

Only when a server has been chosen (File → Server address…, or `TERRAIN_SERVER_URL`); without
one nothing leaves the computer until Sync now. Timings come from the environment so tests
and impatient users can shorten them: `TERRAIN_SYNC_DELAY` (seconds after the last edit,
default 2) and `TERRAIN_SYNC_INTERVAL` (seconds between rounds, default 60).
"""

import os

from terrain_desktop.app.editor import Editor
from terrain_desktop.app.sync_status import SyncState, SyncStatus
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.qt import QObject, QTimer
from terrain_desktop.ui.sync_controller import SyncController

#: The first retry after the server could not be reached; each next one waits twice as long,
#: up to the interval.
FIRST_RETRY_MS = 2000


def _seconds(name: str, default: float) -> int:
    try:
        return max(50, int(float(os.environ.get(name, default)) * 1000))
    except ValueError:
        return int(default * 1000)


class AutoSync(QObject):
    def __init__(self, controller: SyncController, editor: Editor, parent: QObject) -> None:
        super().__init__(parent)
        self.controller = controller
        self.editor = editor
        self.delay_ms = _seconds("TERRAIN_SYNC_DELAY", 2)
        self.interval_ms = _seconds("TERRAIN_SYNC_INTERVAL", 60)
        self.debounce = QTimer(self, singleShot=True, interval=self.delay_ms)
        self.debounce.timeout.connect(self._due)
        self.periodic = QTimer(self, interval=self.interval_ms)
        self.periodic.timeout.connect(self._tick)
        self.periodic.start()
        self.retry = QTimer(self, singleShot=True)
        self.retry.timeout.connect(self._tick)
        self._retry_ms = FIRST_RETRY_MS
        self._doc: TableDocument | None = None
        editor.tables_changed.connect(lambda _: self.edited())
        editor.library_changed.connect(lambda _: self.edited())
        editor.table_opened.connect(self._opened)
        self._opened(editor.doc)
        controller.finished.connect(self._finished)
        controller.account_changed.connect(lambda _: self.edited())
        QTimer.singleShot(0, self._due)  # a round at start, when there is a server

    def stop(self) -> None:
        """The window is closing: no more rounds, and none under way answers."""
        for timer in (self.debounce, self.periodic, self.retry):
            timer.stop()
        if self.controller.running is not None:
            self.controller.running.cancel()

    def _opened(self, doc: TableDocument | None) -> None:
        if self._doc is not None:
            self._doc.pieces_changed.disconnect(self._piece_edit)
            self._doc.table_changed.disconnect(self._piece_edit)
        self._doc = doc
        if doc is not None:
            doc.pieces_changed.connect(self._piece_edit)
            doc.table_changed.connect(self._piece_edit)

    def _piece_edit(self, _: object) -> None:
        self.edited()

    def edited(self) -> None:
        """An edit may have queued changes: show the count, and sync once edits pause."""
        self.controller.edited()
        if self.controller.operation.store.pending_count() and self._enabled():
            self.debounce.start()  # restarts: a round runs once the user pauses

    def _enabled(self) -> bool:
        return self.controller.operation.server_chosen()

    def _due(self) -> None:
        """Edits are waiting: a round now, or right after the one under way."""
        if self._enabled():
            self.controller.start()

    def _tick(self) -> None:
        """A periodic round or a retry: skipped while one is under way (or a retry is due)."""
        if self._enabled() and not self.controller.syncing and not self.retry.isActive():
            self.controller.start()

    def _finished(self, status: SyncStatus) -> None:
        if status.state == SyncState.OFFLINE:
            self.retry.start(self._retry_ms)
            self._retry_ms = min(self._retry_ms * 2, self.interval_ms)
            return
        self._retry_ms = FIRST_RETRY_MS
        waiting = status.state in (SyncState.WAITING, SyncState.NOT_ACCEPTED)
        if waiting and status.pending and self._enabled():
            self.debounce.start()  # edits made during the round go up next
