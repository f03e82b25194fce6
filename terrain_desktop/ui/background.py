"""Work off the GUI thread, typed end to end (as Anki's `QueryOp`): a `BackgroundOp[T]` runs
its work in Qt's thread pool and hands back, on the GUI thread, either the `T` it made or
the error it raised, plus whatever progress it reported on the way. It can be cancelled: the
work sees `context.cancelled` and stops; a cancelled op calls neither callback.
"""

from collections.abc import Callable
from typing import Generic, TypeVar, cast

from terrain_desktop.ui.qt import QObject, QRunnable, QThreadPool, Signal, SignalInstance, alive

T = TypeVar("T")


class OpContext:
    """What the work sees of its op: where to report progress, and whether to stop."""

    def __init__(self, relay: "_Relay") -> None:
        self._relay = relay
        self.cancelled = False

    def report(self, progress: object) -> None:
        _send(self._relay.progressed, self._relay, progress)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)


def _send(signal: SignalInstance, relay: "_Relay", value: object) -> None:
    """Emit from the worker thread. When the application quits while work still runs, Qt
    deletes the relay before the work ends: then there is nobody left to answer, and the
    answer is dropped instead of printing "Signal source has been deleted" at every exit."""
    try:
        signal.emit(value)
    except RuntimeError:
        if alive(relay):
            raise


class _Job(QRunnable):
    def __init__(self, work: Callable[[OpContext], object], context: OpContext) -> None:
        super().__init__()
        self.work = work
        self.context = context

    def run(self) -> None:
        try:
            result = self.work(self.context)
        except Exception as error:  # handed to the GUI thread, which shows it
            _send(self.context._relay.failed, self.context._relay, error)
        else:
            _send(self.context._relay.done, self.context._relay, result)


_running: set["BackgroundOp[object]"] = set()


class BackgroundOp(Generic[T]):
    def __init__(
        self,
        work: Callable[[OpContext], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
        on_progress: Callable[[object], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        #: The widget the answer is for: once Qt has deleted it, the answer is dropped.
        self.owner = owner
        self._relay = _Relay()
        self.context = OpContext(self._relay)
        self._work = work
        self._relay.done.connect(lambda value: self._finish(lambda: on_done(cast(T, value))))
        self._relay.failed.connect(lambda error: self._finish(lambda: on_error(error)))
        if on_progress is not None:
            self._relay.progressed.connect(
                lambda value: on_progress(value) if self._wanted() else None
            )
        self.running = False

    @classmethod
    def run(
        cls,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
        owner: QObject | None = None,
    ) -> "BackgroundOp[T]":
        """Start work that reports no progress."""
        return cls(lambda _: work(), on_done, on_error, owner=owner).start()

    def start(self) -> "BackgroundOp[T]":
        self.running = True
        _running.add(cast("BackgroundOp[object]", self))  # alive until it has answered
        QThreadPool.globalInstance().start(_Job(self._work, self.context))
        return self

    def cancel(self) -> None:
        self.context.cancelled = True

    def _finish(self, answer: Callable[[], None]) -> None:
        self.running = False
        _running.discard(cast("BackgroundOp[object]", self))
        if self._wanted():
            answer()

    def _wanted(self) -> bool:
        return not self.context.cancelled and (self.owner is None or alive(self.owner))
