"""Domain commands on Qt's undo stack."""

from terrain_desktop.domain.commands import Command
from terrain_desktop.ui.qt import QUndoCommand, QUndoStack


class QtCommand(QUndoCommand):
    def __init__(self, command: Command) -> None:
        super().__init__(command.text)
        self.command = command

    def redo(self) -> None:
        self.command.redo()

    def undo(self) -> None:
        self.command.undo()


class QtHistory:
    """The editor's `History` on a `QUndoStack`, so the Edit menu's undo and redo follow it."""

    def __init__(self, stack: QUndoStack) -> None:
        self.stack = stack

    def push(self, command: Command) -> None:
        self.stack.push(QtCommand(command))

    def clear(self) -> None:
        self.stack.clear()
