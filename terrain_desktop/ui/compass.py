"""A small compass in the view's corner: its needle points to the table's far edge (+y,
"north"), turning as the camera orbits. A click on it goes to the top view."""

import math
from typing import TYPE_CHECKING

from terrain_desktop.ui.qt import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPointF,
    QPolygonF,
    Qt,
    QWidget,
)

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView

SIZE = 64


class Compass(QWidget):
    def __init__(self, viewport: "ViewportView") -> None:
        super().__init__(viewport.widget)
        self.viewport = viewport
        self.setFixedSize(SIZE, SIZE)
        self.setToolTip("Compass: N is the table's far edge. Click for the top view.")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.raise_()

    def bearing(self) -> float:
        """Degrees clockwise on screen from "up" to the table's +y direction."""
        azimuth = self.viewport.camera.view().azimuth
        # Looking from azimuth a, the screen's up on the table points to a + 180°.
        return (azimuth + 180 - 90) % 360

    def place(self) -> None:
        self.move(self.viewport.width() - SIZE - 12, 12)
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(SIZE / 2, SIZE / 2)
        painter.setPen(QColor(255, 255, 255, 90))
        painter.setBrush(QColor(20, 24, 30, 170))
        painter.drawEllipse(centre, SIZE / 2 - 2, SIZE / 2 - 2)
        painter.translate(centre)
        painter.rotate(self.bearing())
        r = SIZE / 2 - 10
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 176, 0))
        painter.drawPolygon(QPolygonF([QPointF(0, -r), QPointF(6, 0), QPointF(-6, 0)]))
        painter.setBrush(QColor(200, 205, 215))
        painter.drawPolygon(QPolygonF([QPointF(0, r), QPointF(6, 0), QPointF(-6, 0)]))
        painter.resetTransform()
        painter.setPen(QColor(255, 220, 150))
        a = math.radians(self.bearing())
        label = QPointF(
            centre.x() + math.sin(a) * (r + 5) - 4, centre.y() - math.cos(a) * (r + 5) + 5
        )
        painter.drawText(label, "N")
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.viewport.show_top()
