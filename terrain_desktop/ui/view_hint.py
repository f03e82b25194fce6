"""A small line in the view's lower corner saying how to get round it: the mouse gestures a
newcomer would otherwise never find (orbit, pan, zoom, the selection box). A click hides it;
Help ▸ Keyboard shortcuts lists everything."""

from typing import TYPE_CHECKING

from terrain_desktop.ui.qt import QLabel, QMouseEvent, Qt

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView

HINT = (
    "Right-drag: orbit · Middle-drag: pan · Wheel: zoom · "
    "Left-drag on the table: select with a box · Home: frame all"
)


class NavigationHint(QLabel):
    def __init__(self, viewport: "ViewportView") -> None:
        super().__init__(HINT, viewport.widget)
        self.viewport = viewport
        self.setStyleSheet(
            "color: white; background: rgba(20, 24, 30, 160); border-radius: 4px; padding: 3px 8px"
        )
        self.setToolTip("Click to hide. Help ▸ Keyboard shortcuts lists every key.")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.adjustSize()
        self.dismissed = False

    def place(self) -> None:
        self.adjustSize()
        height = self.viewport.widget.height()
        self.move(12, height - self.height() - 12)
        self.raise_()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.dismissed = True
        self.hide()
