"""A toast: a short note at the bottom of the window with one action (Undo), which stays
until its time is up, it is closed, or another toast takes its place."""

from collections.abc import Callable

from terrain_desktop.ui.qt import (
    QEvent,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QWidget,
)

STYLE = (
    "#toast { background: #323232; border-radius: 6px; }"
    "#toast QLabel { color: white; }"
    "#toast QPushButton { color: #8ab4f8; background: transparent; border: none;"
    " font-weight: bold; padding: 4px 8px; }"
)


class Toast(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel()
        self.action = QPushButton()
        self.close_button = QPushButton("✕")
        self.close_button.setToolTip("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        self.close_button.clicked.connect(self.dismiss)
        self.action.clicked.connect(self._act)
        self._slot: Callable[[], None] | None = None
        parent.installEventFilter(self)
        self.hide()

    def show_message(
        self, text: str, action: str, slot: Callable[[], None], milliseconds: int
    ) -> None:
        self.label.setText(text)
        self.action.setText(action)
        self._slot = slot
        self.timer.start(milliseconds)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.timer.stop()
        self._slot = None
        self.hide()

    def _act(self) -> None:
        slot = self._slot
        self.dismiss()
        if slot is not None:
            slot()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move((parent.width() - self.width()) // 2, parent.height() - self.height() - 48)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
