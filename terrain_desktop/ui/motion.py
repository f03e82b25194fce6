"""When the view is moving, for the scene's cheaper interactive frames (scene/interactive.py).

Whatever moves the camera or pieces under the user's hand (an orbit, pan or zoom, a camera
glide, a dragged piece or ring, a piece dragged in from the drawer, the arrow and turn keys)
calls `moving` before it renders. Frames are then interactive until the motion ends: at a
release (`stop`), when a glide arrives, or `STILL_MS` after the last motion event, so a wheel
zoom, held arrow keys or a pause mid-drag end with the full frame without anything more from
the user.
"""

from typing import TYPE_CHECKING

from terrain_desktop.ui.qt import QObject, QTimer, Signal

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView

#: The full frame comes this long after the last motion event. Longer than the gap between a
#: wheel's notches or a key's auto-repeat (so a zoom is not interrupted by a slow full frame),
#: short enough to feel immediate.
STILL_MS = 150


class Motion(QObject):
    #: The full frame after a motion has been drawn.
    settled = Signal()

    def __init__(self, viewport: "ViewportView") -> None:
        super().__init__(viewport.widget)
        self.viewport = viewport
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STILL_MS)
        self._timer.timeout.connect(self.stop)

    @property
    def active(self) -> bool:
        return bool(self.viewport.scene.interactive.moving)

    def moving(self) -> None:
        """Something moves: the frames drawn until the motion stops are interactive."""
        self.viewport.scene.interactive.moving = True
        self._timer.start()

    def stop(self, render: bool = True) -> None:
        """The motion ended: the next frame is the full one, drawn now unless `render` is
        False (the caller is about to render anyway)."""
        self._timer.stop()
        if not self.active:
            return
        self.viewport.scene.interactive.moving = False
        if render:
            self.viewport.render()
            self.settled.emit()
