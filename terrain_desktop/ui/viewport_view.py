"""What the viewport's helpers (camera control, compass, rotation ring, keys) need of it.

They take this protocol, not the `Viewport` class, so none of them imports the viewport
module and the viewport can import them all without a circle.
"""

from typing import TYPE_CHECKING, Protocol

from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.scene import camera as turntable
from terrain_desktop.scene.table_scene import TableScene
from terrain_desktop.ui.qt import QAction, QPointF, QWidget

if TYPE_CHECKING:
    from pyvistaqt import QtInteractor


class CameraView(Protocol):
    def view(self) -> turntable.View:
        """Where the camera is now."""
        ...


class MotionView(Protocol):
    """When the view moves (ui/motion.py): frames are cheaper until it stops."""

    def moving(self) -> None: ...
    def stop(self, render: bool = True) -> None: ...


class ViewportView(Protocol):
    doc: TableDocument | None
    scene: TableScene
    interactor: "QtInteractor"
    grid: float
    snapping: bool
    each_in_place: bool

    @property
    def camera(self) -> CameraView: ...

    @property
    def motion(self) -> MotionView: ...

    @property
    def widget(self) -> QWidget:
        """The viewport as a Qt parent (for timers, overlays and actions)."""
        ...

    def render(self) -> None: ...
    def show_top(self, animate: bool = True) -> None: ...
    def frame_selection(self, animate: bool = True) -> None: ...
    def width(self) -> int: ...
    def addAction(self, action: QAction, /) -> None: ...
    def vtk_point(self, pos: QPointF) -> tuple[float, float]: ...
    def table_point(self, pos: QPointF, height: float = 0.0) -> tuple[float, float] | None: ...

    def push_command(self, command: Command) -> None:
        """Hand an edit to whoever applies it (the window pushes it onto the undo stack)."""
        ...
