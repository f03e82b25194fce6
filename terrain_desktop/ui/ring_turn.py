"""Turning the selection with the rotation ring: grab the ring, drag it round.

The selection turns by the angle the pointer swept about the ring's centre (15° steps with
snapping): a group about its common centre, so a modular building keeps its shape (each
piece about its own centre with the viewport's `each_in_place` setting, or Alt held); the
pieces and the knob follow the pointer as a preview and one command is made on release.
"""

import math
from typing import TYPE_CHECKING

from terrain_desktop.domain import commands, geometry, group
from terrain_desktop.domain.piece import PieceChanges
from terrain_desktop.ui.qt import QPointF, Qt

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView


NO_MODIFIER = Qt.KeyboardModifier.NoModifier


class RingTurn:
    def __init__(self, viewport: "ViewportView") -> None:
        self.viewport = viewport
        self._from = 0.0
        self._start: dict[str, float] = {}

    @property
    def active(self) -> bool:
        return bool(self._start)

    def _angle(self, pos: QPointF) -> float | None:
        ring = self.viewport.scene.ring
        if ring.centre is None:
            return None
        point = self.viewport.table_point(pos, ring.centre[2])
        if point is None:
            return None
        return math.degrees(math.atan2(point[1] - ring.centre[1], point[0] - ring.centre[0]))

    def grab(self, pos: QPointF) -> bool:
        """Start turning if `pos` is on the ring; False (and nothing done) if it is not."""
        ring, doc = self.viewport.scene.ring, self.viewport.doc
        if doc is None or not ring.visible or ring.centre is None or not doc.selection:
            return False
        point = self.viewport.table_point(pos, ring.centre[2])
        angle = self._angle(pos)
        if point is None or angle is None or not ring.hit(*point):
            return False
        self._from = angle
        self._start = {i: doc.pieces[i].rotation for i in sorted(doc.selection)}
        return True

    def turn(
        self, pos: QPointF, *, commit: bool, modifiers: Qt.KeyboardModifier = NO_MODIFIER
    ) -> bool:
        viewport, doc = self.viewport, self.viewport.doc
        angle = self._angle(pos)
        if doc is None or angle is None:
            return True
        delta = angle - self._from
        start = self._start

        def turned(piece_id: str) -> float:
            value = (start[piece_id] + delta) % 360
            return geometry.snap_angle(value) if viewport.snapping else value

        lone = next(iter(start)) if len(start) == 1 else None
        each = viewport.each_in_place or bool(modifiers & Qt.KeyboardModifier.AltModifier)
        step = geometry.snap_angle(delta) if viewport.snapping else delta % 360
        if commit:
            self._start = {}
            viewport.motion.stop()
            if lone is not None:
                change = commands.set_fields(doc, {lone}, {"rotation": turned(lone)})
            elif each:
                change = commands.rotate(
                    doc, set(start), step, viewport.snapping, each_in_place=True
                )
            else:
                change = commands.turn_group(doc, set(start), step)
            change.text = "Rotate"
            viewport.push_command(change)
            return True
        previews: dict[str, PieceChanges]
        if lone is not None or each:
            previews = {i: {"rotation": turned(i)} for i in start}
        else:
            previews = dict(group.turned(doc, set(start), step))
        for piece_id, preview in previews.items():
            piece = doc.pieces[piece_id]
            viewport.scene.update_piece(piece_id, piece.changed(preview))
        if lone is not None:
            viewport.scene.ring.show(viewport.scene.ring.centre, turned(lone))
        viewport.scene.outlines.follow(viewport.scene.actors)
        viewport.motion.moving()
        viewport.render()
        return True
