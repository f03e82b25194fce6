"""The window's Ctrl/Alt shortcuts win over a text field's own key bindings, except for
the editing keys a text field needs (copy, paste, undo, select all, word deletion…).

Without this, Ctrl+U (Upload) pressed with a Properties box focused was taken by the box,
whose X11 binding for Ctrl+U deletes to the start of the line: the field was cleared and
the upload never opened. Plain keys (R, Q, Delete…) still go to a focused text field, so
typing never rotates or deletes pieces.
"""

from contextlib import suppress

from terrain_desktop.ui.qt import (
    QApplication,
    QEvent,
    QKeyEvent,
    QKeySequence,
    QMainWindow,
    QObject,
    Qt,
    QWidget,
)

#: What a focused text field keeps for itself.
EDITING = [
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.SelectAll,
    QKeySequence.StandardKey.Delete,
    QKeySequence.StandardKey.Backspace,
    QKeySequence.StandardKey.DeleteStartOfWord,
    QKeySequence.StandardKey.DeleteEndOfWord,
    QKeySequence.StandardKey.MoveToNextWord,
    QKeySequence.StandardKey.MoveToPreviousWord,
    QKeySequence.StandardKey.SelectNextWord,
    QKeySequence.StandardKey.SelectPreviousWord,
    QKeySequence.StandardKey.MoveToStartOfLine,
    QKeySequence.StandardKey.MoveToEndOfLine,
]
COMMAND_KEYS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class ShortcutGuard(QObject):
    """Watches the focused widget of `window` alone (it is what a shortcut override goes to
    first). Watching every event of the application called into Python some 90 times a move
    for each window open, and each call waits for Python's lock while the Checks dock's
    worker holds it: up to 5 ms each, a move of 40 ms took 700 (benchmarks/edits.py)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._watched: list[QWidget] = []
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus)  # (let go when this guard goes, with the window)
        self._focus(None, app.focusWidget())

    def _focus(self, _: QWidget | None, now: QWidget | None) -> None:
        """Watch the widget that has the focus now, and its parts that pass their focus on
        to it (a spin box's text field)."""
        watched, self._watched = self._watched, []
        for widget in watched:
            with suppress(RuntimeError):  # (the widget is gone, and its filters with it)
                widget.removeEventFilter(self)
        if now is not None and self.window.isAncestorOf(now):
            parts = [c for c in now.findChildren(QWidget) if c.focusProxy() is now]
            for widget in (now, *parts):
                widget.installEventFilter(self)
                self._watched.append(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not event.modifiers() & COMMAND_KEYS or not isinstance(watched, QWidget):
            return False
        if not self.window.isAncestorOf(watched) or any(event.matches(k) for k in EDITING):
            return False
        pressed = QKeySequence(event.keyCombination())
        for action in self.window.actions():
            if action.isEnabled() and pressed in action.shortcuts():
                event.ignore()  # not overridden: the window's shortcut fires
                return True
        return False
