"""Running core work off the GUI thread, through this one helper (as Anki's taskman does).

The work runs in Qt's thread pool; its result or error comes back on the GUI thread.
"""

from collections.abc import Callable
from typing import Any

from terrain_desktop.ui.qt import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread, which shows it
            self.relay.failed.emit(error)
        else:
            self.relay.done.emit(result)


_running: set[_Relay] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    relay = _Relay()
    _running.add(relay)  # keep it alive until it has answered

    def finish(callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            _running.discard(relay)
            callback(value)

        return call

    relay.done.connect(finish(on_done))
    relay.failed.connect(finish(on_error))
    QThreadPool.globalInstance().start(_Job(work, relay))
