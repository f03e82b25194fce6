"""The 3D view: shows the open table, picks and drags pieces, accepts pieces from the drawer.

No idle redraw timer (`auto_update=False`) and no multisampling by default: on a software
renderer both cost more than they give (benchmarks/RESULTS.md). The view renders when the model says
something changed.
"""

import math
from collections.abc import Callable
from typing import Any

from pyvistaqt import QtInteractor

from terrain_desktop.domain import commands, group
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.events import Signal as DomainSignal
from terrain_desktop.domain.piece import PiecesChanged
from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.scene import camera as turntable
from terrain_desktop.scene import look, vtk_classes
from terrain_desktop.scene.table_scene import TableScene
from terrain_desktop.ui.camera_control import CameraControl
from terrain_desktop.ui.compass import Compass
from terrain_desktop.ui.edge_snapping import EdgeSnapping
from terrain_desktop.ui.motion import Motion
from terrain_desktop.ui.qt import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QEvent,
    QMouseEvent,
    QObject,
    QPointF,
    QRect,
    QResizeEvent,
    QRubberBand,
    QSize,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from terrain_desktop.ui.ring_turn import RingTurn
from terrain_desktop.ui.view_hint import NavigationHint
from terrain_desktop.ui.viewport_keys import install_keys

ASSET_MIME = "application/x-terrain-asset"
DRAG_THRESHOLD_PX = 3


class Viewport(QWidget):
    #: A finished edit for the undo stack.
    command_ready = Signal(object)
    #: A point clicked while measuring (table coordinates, mm).
    measured = Signal(float, float)
    #: A line for the status bar (what snapping just did).
    hint = Signal(str)

    def __init__(
        self,
        assets: Callable[[str], LibraryAsset | None],
        parent: QWidget | None = None,
        multi_samples: int = 0,
    ) -> None:
        super().__init__(parent)
        self.assets = assets
        self.interactor = QtInteractor(self, auto_update=False, multi_samples=multi_samples)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.interactor.interactor)
        self.scene = TableScene(self.interactor, assets)
        self.doc: TableDocument | None = None
        #: How many times the view has been drawn (benchmarks count renders per edit).
        self.renders = 0
        self._render_pending = False
        self._held = False
        #: Pieces snap to this many millimetres; the table shows a line every `grid_lines`.
        self.grid = 25.0
        self.grid_lines = 100.0
        self.snapping = True
        #: Turning a group turns each piece about its own centre instead of the group's.
        self.each_in_place = False
        self._measuring = False
        self._ruler_start: tuple[float, float] | None = None
        #: Lengths in the view (the ruler's label) are written in this unit.
        self.unit = LengthUnit.MM
        self._drag: tuple[str, float, float, QPointF] | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.interactor.interactor)
        self._band_start: QPointF | None = None
        self._band_extend = False
        self.ring_turn = RingTurn(self)
        self.edges = EdgeSnapping(self, self.hint.emit)
        self._dragged = False
        self.setAcceptDrops(True)
        self.interactor.interactor.setAcceptDrops(False)
        self.motion = Motion(self)  # cheaper frames while the view moves
        self.camera = CameraControl(self)
        self.interactor.interactor.installEventFilter(self)
        self.interactor.interactor.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.keys = install_keys(self)
        self.compass = Compass(self)
        self.hint_line = NavigationHint(self)

    # -- the model -----------------------------------------------------------------------------

    def show_document(self, doc: TableDocument | None) -> None:
        if self.doc is not None:
            for signal, slot in self._slots():
                signal.disconnect(slot)
        self.doc = doc
        self.scene.show_handle(None)  # nothing of the last table's selection stays on screen
        self.scene.highlight(set())
        self.measuring = self._measuring
        if doc is None:
            self.scene.set_pieces({})
            self.render()
            return
        for signal, slot in self._slots():
            signal.connect(slot)
        doc.surface = self.scene.surface_height
        table = doc.table
        self.scene.set_table(table.width, table.depth, self.grid_lines)
        self.scene.set_pieces(doc.pieces)
        self.scene.view_perspective()
        self.render()

    def _slots(self) -> list[tuple[DomainSignal[Any], Callable[[Any], None]]]:
        assert self.doc is not None
        return [
            (self.doc.pieces_changed, self._pieces_changed),
            (self.doc.selection_changed, self._selection),
            (self.doc.table_changed, self._table),
        ]

    def _pieces_changed(self, event: PiecesChanged) -> None:
        """One batch, however many pieces: its actors updated, one render."""
        assert self.doc is not None
        self.scene.apply(event, self.doc.pieces)
        if event.changed & self.doc.selection:
            self._place_handle()
            self.scene.outlines.follow(self.scene.actors)
        self.request_render()

    def _selection(self, _: None = None) -> None:
        assert self.doc is not None
        self.scene.highlight(self.doc.selection)
        self.scene.outlines.follow(self.scene.actors)
        self._place_handle()
        self.request_render()

    def _place_handle(self) -> None:
        """The rotation ring around the selection: a lone piece's knob shows its facing."""
        assert self.doc is not None
        selected = [self.doc.pieces[i] for i in sorted(self.doc.selection) if i in self.doc.pieces]
        if len(selected) == 1:
            self.scene.show_handle(selected[0])
        elif selected:
            x, y = group.centre(self.doc, self.doc.selection)  # the group turns about it
            centre = {"x": x, "y": y, "z": min(p.z for p in selected), "rotation": 0.0}
            self.scene.show_handle(centre)
        else:
            self.scene.show_handle(None)

    def _table(self, _: None = None) -> None:
        assert self.doc is not None
        table = self.doc.table
        self.scene.set_table(table.width, table.depth, self.grid_lines)
        self.render()

    def set_shadows(self, on: bool) -> None:
        """Shadows cost several times a frame on a software renderer (benchmarks/look.py):
        off by default."""
        look.set_shadows(self.interactor, on)
        self.render()

    # -- the ruler -----------------------------------------------------------------------------

    @property
    def measuring(self) -> bool:
        return self._measuring

    @measuring.setter
    def measuring(self, on: bool) -> None:
        self._measuring = on
        self._ruler_start = None
        if not on:
            self.scene.ruler.hide()
            self.render()

    def _measure(self, point: tuple[float, float], *, done: bool) -> None:
        """A click starts a line, the mouse stretches it, the next click ends it."""
        start = self._ruler_start
        if start is None:
            if done:
                self._ruler_start = point
                self.scene.ruler.show(point, None)
        else:
            length = math.dist(start, point)
            self.scene.ruler.show(start, point, format_length(length, self.unit))
            if done:
                self._ruler_start = None
        self.render()

    # Not QWidget.render (painting into a device): draws the 3D view now, once.
    @property
    def widget(self) -> QWidget:
        """Itself, as its helpers' `ViewportView` (ui/viewport_view.py) hands out a parent."""
        return self

    def push_command(self, command: commands.Command) -> None:
        """An edit made here (drag, ring, keys) goes out to be applied and undoable."""
        self.command_ready.emit(command)

    def render(self) -> None:  # type: ignore[override]
        if self._held:  # the window is completing itself: one frame when it is done
            self._render_pending = True
            return
        self._render_pending = False
        self.renders += 1
        # The plotter draws the frame now (every scene observer sees its StartEvent); a
        # synchronous Qt repaint alone was skipped by Qt at times, leaving overlays stale.
        self.interactor.render()
        self.compass.update()

    def hold_renders(self, held: bool) -> None:
        """While held, renders asked for are drawn once, on release (start-up completing the
        window: one frame, not one per step); Qt's repaints (resizes) draw nothing new."""
        self._held = held
        self.interactor.render_window.GetInteractor().SetEnableRender(not held)
        if not held and self._render_pending:
            self.render()

    def request_render(self) -> None:
        """Render when control returns to the event loop: a batch and the selection change
        it brings are drawn in one frame."""
        if not self._render_pending:
            self._render_pending = True
            QTimer.singleShot(0, self._render_if_pending)

    def _render_if_pending(self) -> None:
        if self._render_pending:
            self.render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.compass.place()
        self.hint_line.place()

    # -- views ---------------------------------------------------------------------------------

    def show_top(self, animate: bool = True) -> None:
        self.camera.go_to(self.scene.table_view(90.0, self.camera.view().azimuth), animate)

    def show_3d(self, animate: bool = True) -> None:
        self.camera.go_to(self.scene.table_view(), animate)

    def frame_all(self, animate: bool = True) -> None:
        """The whole table in view, from the top if looking from the top, else in 3D."""
        view = self.camera.view()
        if view.parallel or view.elevation >= 89.0:
            self.show_top(animate)
        else:
            self.show_3d(animate)

    def show_saved(self, position: list[list[float]]) -> None:
        """Glide to a saved camera (position, focal point, view-up, as pyvista stores it)."""
        saved = vtk_classes.vtkCamera()
        saved.SetPosition(*position[0])
        saved.SetFocalPoint(*position[1])
        saved.SetViewUp(*position[2])
        self.camera.go_to(turntable.current(saved))

    def frame_selection(self, animate: bool = True) -> None:
        """Fit the selected pieces (or the whole table when nothing is selected)."""
        if self.doc is None:
            return
        actors = [self.scene.actors[i] for i in self.doc.selection if i in self.scene.actors]
        if not actors:
            self.show_3d(animate)
            return
        bounds = [list(a.GetBounds()) for a in actors]
        box = (
            min(b[0] for b in bounds),
            max(b[1] for b in bounds),
            min(b[2] for b in bounds),
            max(b[3] for b in bounds),
            min(b[4] for b in bounds),
            max(b[5] for b in bounds),
        )
        view = self.camera.view()
        angle = self.interactor.camera.GetViewAngle()
        width, height = self.interactor.renderer.GetSize()
        target = turntable.framing(
            box, angle, view.azimuth, min(view.elevation, 60.0), aspect=width / max(height, 1)
        )
        self.camera.go_to(target, animate)

    # -- coordinates ---------------------------------------------------------------------------

    def vtk_point(self, pos: QPointF) -> tuple[float, float]:
        """Qt widget coordinates (top-left origin, logical px) to VTK display coordinates."""
        ratio = self.interactor.interactor.devicePixelRatioF()
        height = self.interactor.interactor.height()
        return pos.x() * ratio, (height - pos.y()) * ratio

    def widget_point(self, x: float, y: float, z: float) -> QPointF:
        """Where a table point shows in the view, in Qt widget coordinates."""
        dx, dy = self.scene.display_point(x, y, z)
        ratio = self.interactor.interactor.devicePixelRatioF()
        return QPointF(dx / ratio, self.interactor.interactor.height() - dy / ratio)

    def table_point(self, pos: QPointF, height: float = 0.0) -> tuple[float, float] | None:
        return self.scene.table_point(*self.vtk_point(pos), height)

    # -- mouse: select and drag pieces; anything else goes to the camera -----------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.camera.handles(event):  # right/middle drags, the wheel, hover: never VTK's own
            return True
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return True  # VTK's keys (w: wireframe, q: quit…) are not this app's
        if self.doc is None or not isinstance(event, QMouseEvent):
            return False
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and event.button() == Qt.MouseButton.LeftButton
        ):
            return self._press(event)
        if event.type() == QEvent.Type.MouseMove and self._band_start is not None:
            self._band.setGeometry(
                QRect(self._band_start.toPoint(), event.position().toPoint()).normalized()
            )
            return True
        if event.type() == QEvent.Type.MouseButtonRelease and self._band_start is not None:
            return self._band_release(event)
        if self._ruler_start is not None and event.type() == QEvent.Type.MouseMove:
            point = self.table_point(event.position())
            if point is not None:
                self._measure(point, done=False)
            return False
        if self.ring_turn.active and event.type() == QEvent.Type.MouseMove:
            return self.ring_turn.turn(event.position(), commit=False, modifiers=event.modifiers())
        if self.ring_turn.active and event.type() == QEvent.Type.MouseButtonRelease:
            return self.ring_turn.turn(event.position(), commit=True, modifiers=event.modifiers())
        if event.type() == QEvent.Type.MouseMove and self._drag is not None:
            return self._move(event)
        if event.type() == QEvent.Type.MouseButtonRelease and self._drag is not None:
            return self._release(event)
        return False

    def _band_release(self, event: QMouseEvent) -> bool:
        assert self.doc is not None and self._band_start is not None
        rect = QRect(self._band_start.toPoint(), event.position().toPoint()).normalized()
        self._band_start = None
        self._band.hide()
        inside = {
            piece_id
            for piece_id, piece in self.doc.pieces.items()
            if rect.contains(self.widget_point(piece.x, piece.y, piece.z).toPoint())
        }
        self.doc.select(inside, extend=self._band_extend)
        return True

    def _press(self, event: QMouseEvent) -> bool:
        assert self.doc is not None
        pos = event.position()
        self.interactor.interactor.setFocus(Qt.FocusReason.MouseFocusReason)  # for its keys
        if self.measuring:
            point = self.table_point(pos)
            if point is not None:
                self._measure(point, done=True)
                self.measured.emit(*point)
            return True
        if self.ring_turn.grab(pos):
            return True
        piece_id = self.scene.pick(*self.vtk_point(pos))
        extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if piece_id is None:  # on the table: a selection box (Shift adds to the selection)
            self._band_start, self._band_extend = pos, extend
            self._band.setGeometry(QRect(pos.toPoint(), QSize()))
            self._band.show()
            if not extend:
                self.doc.select(set())  # a click that misses selects nothing
            return True  # and the camera stays where it is
        if piece_id not in self.doc.selection or extend:  # a selected piece drags the group
            self.doc.select({piece_id}, extend=extend)
        piece = self.doc.pieces[piece_id]
        grabbed = self.table_point(pos, piece.z)
        if grabbed is None:
            return True
        self._drag = (piece_id, piece.x - grabbed[0], piece.y - grabbed[1], pos)
        self._dragged = False
        return True

    def _target(self, pos: QPointF) -> tuple[float, float] | None:
        assert self.doc is not None and self._drag is not None
        piece_id, dx, dy, _ = self._drag
        point = self.table_point(pos, self.doc.pieces[piece_id].z)
        return None if point is None else (point[0] + dx, point[1] + dy)

    def _move(self, event: QMouseEvent) -> bool:
        assert self.doc is not None and self._drag is not None
        start = self._drag[3]
        if not self._dragged and (event.position() - start).manhattanLength() < DRAG_THRESHOLD_PX:
            return True
        self._dragged = True
        target = self._target(event.position())
        if target is not None:  # a preview: only the dragged actors move until the drop
            anchor = self.doc.pieces[self._drag[0]]
            group = self.doc.selection | {anchor.id}  # snapped by the piece grabbed
            asset = self.assets(anchor.asset_id)
            target = self.edges.place(asset, *target, anchor.rotation, group, show=True)
            dx, dy = target[0] - anchor.x, target[1] - anchor.y
            for piece_id in self.doc.selection | {self._drag[0]}:
                piece = self.doc.pieces[piece_id]
                self.scene.update_piece(
                    piece_id, piece.changed({"x": piece.x + dx, "y": piece.y + dy})
                )
            self.scene.outlines.follow(self.scene.actors)
            self.motion.moving()
            self.render()
        return True

    def _release(self, event: QMouseEvent) -> bool:
        assert self.doc is not None and self._drag is not None
        piece_id = self._drag[0]
        target = self._target(event.position()) if self._dragged else None
        self._drag = None
        self.edges.clear()
        self.motion.stop()
        if target is not None:  # the piece grabbed snaps (grid, edges); a group follows it
            group = self.doc.selection | {piece_id}
            piece = self.doc.pieces[piece_id]
            x, y = self.snapped(self.assets(piece.asset_id), *target, piece.rotation, group)
            if len(group) == 1:
                self.command_ready.emit(commands.move_to(self.doc, piece_id, x, y))
            else:
                self.command_ready.emit(commands.move_group(self.doc, group, piece_id, x, y))
        return True

    # -- drops from the drawer -----------------------------------------------------------------

    def _dragged_asset(self, event: QDropEvent) -> tuple[LibraryAsset, tuple[float, float]] | None:
        if self.doc is None or not event.mimeData().hasFormat(ASSET_MIME):
            return None
        asset = self.assets(bytes(event.mimeData().data(ASSET_MIME).data()).decode())
        pos = self.interactor.interactor.mapFrom(self, event.position().toPoint()).toPointF()
        point = self.table_point(pos)
        return None if asset is None or point is None else (asset, point)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.doc is not None and event.mimeData().hasFormat(ASSET_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """A see-through piece follows the mouse, resting where it would be dropped."""
        found = self._dragged_asset(event)
        if found is None or self.doc is None:
            return
        event.acceptProposedAction()
        asset, point = found
        x, y = self.edges.place(asset, *point, show=True)  # where it would land
        self.scene.show_ghost(asset, x, y, self.doc.resting_height(x, y))
        self.motion.moving()
        self.render()

    def dragLeaveEvent(self, event: object) -> None:
        self.scene.hide_ghost()
        self.edges.clear()
        self.motion.stop(render=False)
        self.render()

    def dropEvent(self, event: QDropEvent) -> None:
        self.scene.hide_ghost()
        self.edges.clear()
        self.motion.stop(render=False)
        found = self._dragged_asset(event)
        if found is None or self.doc is None:
            self.render()
            return
        event.acceptProposedAction()
        asset, point = found
        self.command_ready.emit(commands.place(self.doc, asset, *self.snapped(asset, *point)))

    def snapped(
        self,
        asset: LibraryAsset | None,
        x: float,
        y: float,
        rotation: float = 0.0,
        ignore: set[str] | None = None,
    ) -> tuple[float, float]:
        """Where a piece put at x, y lands: on the grid with grid snapping, then edge to
        edge with a neighbour in reach with edge snapping (`edges`)."""
        return self.edges.place(asset, x, y, rotation, ignore)
