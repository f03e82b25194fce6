"""Domain commands on Qt's undo stack."""

from terrain_desktop.domain.commands import Command
from terrain_desktop.ui.qt import QUndoCommand


class QtCommand(QUndoCommand):
    def __init__(self, command: Command) -> None:
        super().__init__(command.text)
        self.command = command

    def redo(self) -> None:
        self.command.redo()

    def undo(self) -> None:
        self.command.undo()
