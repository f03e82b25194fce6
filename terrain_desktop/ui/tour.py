"""A short "What's this" tour on first start: three callouts in turn, by the drawer of
pieces, the table and the properties, each saying what it is for. "Got it" moves on;
"Don't show again" (or finishing it) dismisses it for good; Help ▸ What's this? shows it
again. The callouts are children of the window, not dialogs: nothing waits on them.
"""

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.preferences import Preferences
from terrain_desktop.ui.qt import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPoint,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)

STEPS = [
    (
        "Pieces",
        "Pieces: your terrain library. Drag a piece onto the table, or filter by name and "
        "category (the modular dungeon kit is here).",
    ),
    (
        "",
        "The table: left-drag a piece to move it, drag on the table to select with a box, "
        "right-drag to orbit, middle-drag to pan, the wheel to zoom. R and Q turn the selection.",
    ),
    (
        "Properties",
        "Properties: the selected piece's exact place, height, turn and scale, in the units "
        "you chose (View ▸ Show inches).",
    ),
]


class Tour(QFrame):
    def __init__(self, window: QMainWindow, preferences: Preferences) -> None:
        super().__init__(window)
        self.window_ = window
        self.preferences = preferences
        self.step = -1
        self.setObjectName("tour")
        self.setStyleSheet(
            "#tour { background: #fff8d6; border: 2px solid #e0a800; border-radius: 6px; }"
            "QLabel { color: #222; }"
        )
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setFixedWidth(260)
        self.counter = QLabel()
        self.next_button = QPushButton("Got it")
        self.never_button = QPushButton("Don't show again")
        for button in (self.next_button, self.never_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing never lands here
        self.next_button.clicked.connect(self.advance)
        self.never_button.clicked.connect(self.dismiss)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        buttons.addWidget(self.never_button)
        buttons.addWidget(self.next_button)
        column = QVBoxLayout(self)
        column.addWidget(self.text)
        column.addLayout(buttons)
        self.hide()

    def start_if_new(self) -> None:
        if not self.preferences.get(prefs.TOUR_DISMISSED):
            self.start()

    def start(self) -> None:
        self.step = -1
        self.advance()

    def advance(self) -> None:
        self.step += 1
        if self.step >= len(STEPS):
            self.dismiss()
            return
        title, text = STEPS[self.step]
        self.text.setText(text)
        self.text.setFixedHeight(self.text.heightForWidth(self.text.width()))  # all of it
        self.counter.setText(f"{self.step + 1} of {len(STEPS)}")
        self.next_button.setText("Done" if self.step == len(STEPS) - 1 else "Got it")
        self.adjustSize()
        self._place(self._target(title))
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        """Gone, and not shown on the next start."""
        self.hide()
        self.step = -1
        self.preferences.set(prefs.TOUR_DISMISSED, True)

    def target(self) -> QWidget:
        """What the callout now points at (tests and screenshots)."""
        return self._target(STEPS[max(self.step, 0)][0])

    def _target(self, dock_title: str) -> QWidget:
        for dock in self.window_.findChildren(QDockWidget):
            if dock.windowTitle() == dock_title and dock.isVisible():
                return dock
        central = self.window_.centralWidget()
        return central if central is not None else self.window_

    def _place(self, target: QWidget) -> None:
        """Beside the target, inside the window: left of a dock on the right, else inside."""
        window = self.window_
        top_left = target.mapTo(window, QPoint(0, 0))
        x = (
            top_left.x() - self.width() - 8
            if top_left.x() > window.width() / 2
            else top_left.x() + 24
        )
        y = top_left.y() + 40
        x = max(8, min(x, window.width() - self.width() - 8))
        y = max(8, min(y, window.height() - self.height() - 8))
        self.move(x, y)
