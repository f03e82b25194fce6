"""Help ▸ Keyboard shortcuts: every key the window and the view answer, and the mouse
gestures of the camera, in one table (read from the actions themselves, so it never goes
stale)."""

from collections.abc import Iterable

from terrain_desktop.ui.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequence,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

#: The camera and the selection box, which are gestures rather than actions.
MOUSE = [
    ("Orbit the camera", "Right-drag"),
    ("Pan", "Middle-drag (or Shift + right-drag)"),
    ("Zoom towards the pointer", "Mouse wheel"),
    ("Select with a box", "Left-drag on the table (Shift: add to the selection)"),
    ("Turn the selection", "Drag the ring (Alt: each piece in place)"),
]


class HelpMenu:
    def __init__(self, window: QMainWindow, view_actions: Iterable[QAction]) -> None:
        self.window = window
        self.view_actions = list(view_actions)
        self.menu = window.menuBar().addMenu("&Help")
        self.shortcuts = QAction("Keyboard shortcuts", window)
        self.shortcuts.setShortcut(QKeySequence("F1"))
        self.shortcuts.triggered.connect(self.show_shortcuts)
        window.addAction(self.shortcuts)
        self.menu.addAction(self.shortcuts)
        self.dialog: QDialog | None = None

    def rows(self) -> list[tuple[str, str]]:
        """(what, key) for every action with a shortcut, then the mouse gestures."""
        seen: set[tuple[str, str]] = set()
        rows: list[tuple[str, str]] = []
        for action in [*self.window.actions(), *self.view_actions]:
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            row = (action.text().replace("&", "").rstrip("…"), key)
            if key and row not in seen:
                seen.add(row)
                rows.append(row)
        return rows + MOUSE

    def show_shortcuts(self) -> None:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Keyboard shortcuts")
        rows = self.rows()
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Does", "Key or mouse"])
        for row, (what, key) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(what))
            table.setItem(row, 1, QTableWidgetItem(key))
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(560, 640)
        self.dialog = dialog
        dialog.show()
