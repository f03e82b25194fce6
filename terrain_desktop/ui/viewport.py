"""The 3D view: shows the open table, picks and drags pieces, accepts pieces from the drawer.

No idle redraw timer (`auto_update=False`) and no multisampling by default: on a software
renderer both cost more than they give (RENDERING.md). The view renders when the model says
something changed.
"""

import math
from collections.abc import Callable
from typing import Any

from pyvistaqt import QtInteractor

from terrain_desktop.domain import commands, geometry
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.events import Signal as DomainSignal
from terrain_desktop.domain.piece import PiecesChanged
from terrain_desktop.scene.table_scene import TableScene
from terrain_desktop.ui.qt import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QEvent,
    QMouseEvent,
    QObject,
    QPointF,
    QRect,
    QRubberBand,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

ASSET_MIME = "application/x-terrain-asset"
DRAG_THRESHOLD_PX = 3


class Viewport(QWidget):
    #: A finished edit for the undo stack.
    command_ready = Signal(object)
    #: A point clicked while measuring (table coordinates, mm).
    measured = Signal(float, float)

    def __init__(
        self,
        assets: Callable[[str], LibraryAsset | None],
        parent: QWidget | None = None,
        multi_samples: int = 0,
    ) -> None:
        super().__init__(parent)
        self.assets = assets
        self.interactor = QtInteractor(self, auto_update=False, multi_samples=multi_samples)
        self.interactor.enable_lightkit()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.interactor.interactor)
        self.scene = TableScene(self.interactor, assets)
        self.doc: TableDocument | None = None
        #: How many times the view has been drawn (benchmarks count renders per edit).
        self.renders = 0
        #: Pieces snap to this many millimetres; the table shows a line every `grid_lines`.
        self.grid = 25.0
        self.grid_lines = 100.0
        self.snapping = True
        self.measuring = False
        self._drag: tuple[str, float, float, QPointF] | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.interactor.interactor)
        self._band_start: QPointF | None = None
        self._turning: str | None = None
        self._dragged = False
        self.setAcceptDrops(True)
        self.interactor.interactor.setAcceptDrops(False)
        self.interactor.interactor.installEventFilter(self)

    # -- the model -----------------------------------------------------------------------------

    def show_document(self, doc: TableDocument | None) -> None:
        if self.doc is not None:
            for signal, slot in self._slots():
                signal.disconnect(slot)
        self.doc = doc
        self.scene.show_handle(None)  # the knob belonged to a piece of the table left behind
        if doc is None:
            self.scene.set_pieces({})
            self.render()
            return
        for signal, slot in self._slots():
            signal.connect(slot)
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
        self.render()

    def _selection(self, _: None = None) -> None:
        assert self.doc is not None
        self.scene.highlight(self.doc.selection)
        self._place_handle()
        self.render()

    def handle_radius(self, piece_id: str) -> float:
        assert self.doc is not None
        footprint = self.doc.footprint(self.doc.pieces[piece_id])
        size = max(footprint.half_width, footprint.half_depth) if footprint else 15.0
        return size + 12.0

    def _place_handle(self) -> None:
        assert self.doc is not None
        if len(self.doc.selection) == 1:
            [piece_id] = self.doc.selection
            piece = self.doc.pieces[piece_id]
            self.scene.show_handle(piece, self.handle_radius(piece_id))
        else:
            self.scene.show_handle(None)

    def _table(self, _: None = None) -> None:
        assert self.doc is not None
        table = self.doc.table
        self.scene.set_table(table.width, table.depth, self.grid_lines)
        self.render()

    # Not QWidget.render (painting into a device): draws the 3D view now, on request.
    def render(self) -> None:  # type: ignore[override]
        self.renders += 1
        self.interactor.render()

    # -- coordinates ---------------------------------------------------------------------------

    def _vtk_point(self, pos: QPointF) -> tuple[float, float]:
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
        return self.scene.table_point(*self._vtk_point(pos), height)

    # -- mouse: select and drag pieces; anything else goes to the camera -----------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
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
        if self._turning is not None and event.type() == QEvent.Type.MouseMove:
            return self._turn(event, commit=False)
        if self._turning is not None and event.type() == QEvent.Type.MouseButtonRelease:
            return self._turn(event, commit=True)
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
        self.doc.select(inside, extend=True)
        return True

    def _press(self, event: QMouseEvent) -> bool:
        assert self.doc is not None
        pos = event.position()
        if self.measuring:
            point = self.table_point(pos)
            if point is not None:
                self.measured.emit(*point)
            return True
        piece_id = self.scene.pick(*self._vtk_point(pos))
        extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if piece_id is None:
            if extend:  # shift-drag on the table: a rubber band
                self._band_start = pos
                self._band.setGeometry(QRect(pos.toPoint(), QSize()))
                self._band.show()
                return True
            self.doc.select(set())
            return False  # the camera orbits
        if piece_id == TableScene.HANDLE:
            return self._start_turn()
        if piece_id not in self.doc.selection or extend:  # a selected piece drags the group
            self.doc.select({piece_id}, extend=extend)
        piece = self.doc.pieces[piece_id]
        grabbed = self.table_point(pos, piece.z)
        if grabbed is None:
            return True
        self._drag = (piece_id, piece.x - grabbed[0], piece.y - grabbed[1], pos)
        self._dragged = False
        return True

    def _start_turn(self) -> bool:
        assert self.doc is not None and len(self.doc.selection) == 1
        [self._turning] = self.doc.selection
        return True

    def _turn(self, event: QMouseEvent, *, commit: bool) -> bool:
        """Rotate the selected piece to face the mouse: 15° steps with snapping, free without."""
        assert self.doc is not None and self._turning is not None
        piece_id = self._turning
        piece = self.doc.pieces[piece_id]
        point = self.table_point(event.position(), piece.z)
        if point is None:
            return True
        angle = math.degrees(math.atan2(point[1] - piece.y, point[0] - piece.x)) % 360
        if self.snapping:
            angle = geometry.snap_angle(angle)
        if commit:
            self._turning = None
            change = commands.set_fields(self.doc, {piece_id}, {"rotation": angle})
            change.text = "Rotate"
            self.command_ready.emit(change)
        else:
            preview = piece.changed({"rotation": angle})
            self.scene.update_piece(piece_id, preview)
            self.scene.show_handle(preview, self.handle_radius(piece_id))
            self.render()
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
            dx, dy = target[0] - anchor.x, target[1] - anchor.y
            for piece_id in self.doc.selection | {self._drag[0]}:
                piece = self.doc.pieces[piece_id]
                self.scene.update_piece(
                    piece_id, piece.changed({"x": piece.x + dx, "y": piece.y + dy})
                )
            self.render()
        return True

    def _release(self, event: QMouseEvent) -> bool:
        assert self.doc is not None and self._drag is not None
        piece_id = self._drag[0]
        target = self._target(event.position()) if self._dragged else None
        self._drag = None
        if target is not None:
            grid = self.grid if self.snapping else 0
            group = self.doc.selection | {piece_id}
            if len(group) == 1:
                self.command_ready.emit(commands.move_to(self.doc, piece_id, *target, grid=grid))
            else:
                self.command_ready.emit(
                    commands.move_group(self.doc, group, piece_id, *target, grid=grid)
                )
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
        asset, (x, y) = found
        self.scene.show_ghost(asset, x, y, self.doc.resting_height(x, y))
        self.render()

    def dragLeaveEvent(self, event: object) -> None:
        self.scene.hide_ghost()
        self.render()

    def dropEvent(self, event: QDropEvent) -> None:
        self.scene.hide_ghost()
        found = self._dragged_asset(event)
        if found is None or self.doc is None:
            self.render()
            return
        event.acceptProposedAction()
        asset, point = found
        grid = self.grid if self.snapping else 0
        self.command_ready.emit(commands.place(self.doc, asset, *point, grid=grid))
