"""The window's Ctrl/Alt shortcuts win over a text field's own key bindings, except for
the editing keys a text field needs (copy, paste, undo, select all, word deletion…).

Without this, Ctrl+U (Upload) pressed with a Properties box focused was taken by the box,
whose X11 binding for Ctrl+U deletes to the start of the line: the field was cleared and
the upload never opened. Plain keys (R, Q, Delete…) still go to a focused text field, so
typing never rotates or deletes pieces.
"""

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
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))

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
