"""Where a piece put down lands: on the grid (Snap to grid, G) and edge to edge with a
neighbour whose edge is within reach (Edge snapping, E: on by default, with or without the
grid), as modular tiles click together.

While a piece is dragged the edges that meet light up in the view, and the status line says
what happened and how to turn it off.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from terrain_desktop.domain import geometry
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.scene.snap_marks import SnapMarks

if TYPE_CHECKING:
    from terrain_desktop.ui.viewport_view import ViewportView

#: Neighbours farther than this (mm, centre to centre) are not looked at.
NEAR_MM = 400.0
SNAPPED = "Edges snapped together (Edit ▸ Edge snapping, E, turns it off)"


class EdgeSnapping:
    def __init__(self, viewport: "ViewportView", tell: Callable[[str], None]) -> None:
        self.viewport = viewport
        self.tell = tell
        self.on = True
        self.marks = SnapMarks(viewport.scene.ring.overlay)

    def place(
        self,
        asset: LibraryAsset | None,
        x: float,
        y: float,
        rotation: float = 0.0,
        ignore: set[str] | None = None,
        *,
        show: bool = False,
    ) -> tuple[float, float]:
        """Where a piece of `asset` put at x, y lands; with `show`, light up the edges that
        meet there (a drag in progress)."""
        viewport, doc = self.viewport, self.viewport.doc
        if viewport.snapping:
            x, y = geometry.snap(x, viewport.grid), geometry.snap(y, viewport.grid)
        if not self.on or asset is None or doc is None:
            self.clear()
            return x, y
        skip = ignore or set()
        near = [
            f
            for piece_id, piece in doc.pieces.items()
            if piece_id not in skip
            and abs(piece.x - x) < NEAR_MM
            and abs(piece.y - y) < NEAR_MM
            and (f := doc.footprint(piece)) is not None
        ]
        moving = geometry.footprint(x, y, 0.0, asset.size_mm, rotation, 1.0)
        dx, dy = geometry.edge_snap(moving, near)
        x, y = x + dx, y + dy
        if show:
            moved = geometry.footprint(x, y, 0.0, asset.size_mm, rotation, 1.0)
            contacts = geometry.edge_contacts(moved, near)
            was_shown = bool(self.marks.shown)
            self.marks.show(contacts, doc.resting_height(x, y, ignore=skip))
            if contacts and not was_shown:
                self.tell(SNAPPED)
        return x, y

    def clear(self) -> None:
        self.marks.hide()
