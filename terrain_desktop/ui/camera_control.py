"""The mouse and the camera: right-drag orbits (turntable), middle-drag or Shift+right-drag
pans, the wheel zooms towards the point under the cursor, and views change smoothly.

VTK's own interactor style never sees these events, so nothing else can tilt or roll the
camera; the left button belongs to the pieces (the viewport handles it). Hovering brightens
the piece under the mouse, picked at most every `HOVER_MS`.
"""

import time
from typing import TYPE_CHECKING

from terrain_desktop.scene import camera as turntable
from terrain_desktop.ui.qt import QEvent, QMouseEvent, QPointF, Qt, QTimer, QWheelEvent

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView

TRANSITION_S = 0.35
HOVER_MS = 40


class CameraControl:
    def __init__(self, viewport: "ViewportView") -> None:
        self.viewport = viewport
        self._last: QPointF | None = None
        self._mode: str | None = None
        self._animation: tuple[turntable.View, turntable.View, float] | None = None
        self._timer = QTimer(viewport.widget)
        self._timer.setInterval(15)
        self._timer.timeout.connect(self._step)
        self._hover_at: QPointF | None = None
        self._hover_timer = QTimer(viewport.widget)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_MS)
        self._hover_timer.timeout.connect(self._hover)
        #: Called after every camera change (the compass follows the camera).
        self.moved: list[object] = []

    @property
    def camera(self):  # type: ignore[no-untyped-def]
        return self.viewport.interactor.camera

    def view(self) -> turntable.View:
        return turntable.current(self.camera)

    def show(self, view: turntable.View) -> None:
        self.viewport.scene.go_to(view)
        self.viewport.render()
        for listener in self.moved:
            listener()  # type: ignore[operator]

    # -- events --------------------------------------------------------------------------------

    def handles(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            notches = event.angleDelta().y() / 120
            if notches:
                self.viewport.motion.moving()  # the full frame once the wheel rests
                self.zoom_at(event.position(), turntable.ZOOM_PER_NOTCH**notches)
            return True
        if not isinstance(event, QMouseEvent):
            return False
        button = event.button()
        if kind == QEvent.Type.MouseButtonPress and button in (
            Qt.MouseButton.RightButton,
            Qt.MouseButton.MiddleButton,
        ):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._mode = "orbit" if button == Qt.MouseButton.RightButton and not shift else "pan"
            self._last = event.position()
            self._animation = None
            return True
        if kind == QEvent.Type.MouseMove and self._mode is not None and self._last is not None:
            delta = event.position() - self._last
            self._last = event.position()
            self.viewport.motion.moving()
            if self._mode == "orbit":
                self.show(turntable.orbit(self.view(), delta.x(), delta.y()))
            else:
                self._pan(delta.x(), delta.y())
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._mode is not None:
            self._mode, self._last = None, None
            self.viewport.motion.stop()  # the full frame as soon as the button is let go
            return True
        if kind == QEvent.Type.MouseButtonDblClick and button != Qt.MouseButton.LeftButton:
            return True
        if kind == QEvent.Type.MouseMove and event.buttons() == Qt.MouseButton.NoButton:
            self._hover_at = event.position()
            if not self._hover_timer.isActive():
                self._hover_timer.start()
            return False  # the viewport may want it too
        return kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease) and (
            button not in (Qt.MouseButton.LeftButton,)
        )

    def _hover(self) -> None:
        viewport = self.viewport
        if self._hover_at is None or viewport.doc is None:
            return
        piece_id = viewport.scene.pick(*viewport.vtk_point(self._hover_at))
        if piece_id is not None and piece_id not in viewport.doc.pieces:
            piece_id = None
        if viewport.scene.hover(piece_id):
            viewport.render()

    def _pan(self, dx_px: float, dy_px: float) -> None:
        view = self.view()
        per_px = self.viewport.scene.ring.world_per_pixel(view.focal)
        self.show(turntable.pan(view, -dx_px * per_px, dy_px * per_px))

    def zoom_at(self, pos: QPointF, factor: float) -> None:
        view = self.view()
        point = self.viewport.table_point(pos)
        target = (point[0], point[1], 0.0) if point is not None else view.focal
        self.show(turntable.zoom_towards(view, target, factor))

    # -- views ---------------------------------------------------------------------------------

    def go_to(self, target: turntable.View, animate: bool = True) -> None:
        """Move to a view, smoothly over `TRANSITION_S` unless `animate` is False."""
        if not animate:
            self._animation = None
            self._timer.stop()
            self.viewport.motion.stop(render=False)
            self.show(target)
            return
        self._animation = (self.view(), target, time.monotonic())
        self._timer.start()

    @property
    def moving(self) -> bool:
        return self._animation is not None

    def _step(self) -> None:
        if self._animation is None:
            self._timer.stop()
            return
        start, target, began = self._animation
        t = min(1.0, (time.monotonic() - began) / TRANSITION_S)
        if t >= 1.0:  # arrived: this last frame is the full one
            self._animation = None
            self._timer.stop()
            self.viewport.motion.stop(render=False)
        else:
            self.viewport.motion.moving()
        self.show(turntable.between(start, target, t))
