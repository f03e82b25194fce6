"""The checks again after an edit, at the cost of what the edit touched.

`checks.check_table` looks at every piece and every pair of neighbours: about a second for a
crowded table of 1,000 pieces. The Checks dock runs it after every burst of edits, and on a
2-core machine that second competes with the next move (the window's own work). A move
changes one piece, so `TableChecker` keeps what it found last time and checks again only:

- the moved (added) pieces on their own, and the pairs they are in, found with a spatial
  index over the current footprints;
- the raised pieces whose footprint meets where a moved (or removed) piece was or is now,
  by the box around its mesh: what holds them up may have changed.

Findings of everything else stay, and the list comes back in `check_table`'s order, with
the same findings (`tests/desktop/planning/test_check_cache.py` compares them after edits).
Anything else (another base size, unit or table size, pieces reordered) checks all again.
"""

import threading
from collections.abc import Hashable, Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.planning.checks import (
    DEFAULT_GAP,
    HEIGHT_TOLERANCE,
    Finding,
    Wording,
    pair_finding,
    piece_findings,
)
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import PlacedPiece, TableLayout

#: How far (mm) beyond its mesh's box a piece's support is looked for: rounding only.
SUPPORT_MARGIN = 1.0


def piece_key(piece: PlacedPiece) -> Hashable:
    """Everything about a piece that its findings depend on (its mesh by identity)."""
    return (
        piece.asset_id,
        piece.name,
        piece.x,
        piece.y,
        piece.z,
        piece.rotation,
        piece.scale,
        id(piece.mesh),
    )


def mesh_box(piece: PlacedPiece) -> BaseGeometry:
    """The box on the table around the piece's mesh seen from above (its footprint may leave
    out thin parts between the samples; the box cannot)."""
    (x0, y0, z0), (x1, y1, z1) = np.asarray(piece.mesh.bounds, dtype=np.float64)
    corners = np.array([[x, y, z, 1.0] for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)])
    placed = corners @ piece.matrix().T
    low, high = placed[:, :2].min(axis=0), placed[:, :2].max(axis=0)
    return shapely.box(*(low - SUPPORT_MARGIN), *(high + SUPPORT_MARGIN))


class TableChecker:
    """`check_table`, again and again on one table as it is edited (thread-safe: one check at
    a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._settings: tuple[object, ...] | None = None
        self._order: list[str] = []
        self._pieces: dict[str, PlacedPiece] = {}  # (keeps each key's mesh alive)
        self._keys: dict[str, Hashable] = {}
        self._shapes: dict[str, BaseGeometry] = {}
        self._boxes: dict[str, BaseGeometry] = {}
        self._own: dict[str, list[Finding]] = {}
        self._pairs: dict[tuple[str, str], Finding] = {}
        self._rings: dict[str, tuple[BaseGeometry, list[list[list[float]]]]] = {}

    def shape(self, piece_id: str) -> BaseGeometry:
        """The footprint of a piece of the last table checked."""
        return self._shapes[piece_id]

    def rings(self, piece_id: str) -> list[list[list[float]]]:
        """The outer rings of that footprint's polygons, as lists of [x, y] (worked out once
        per footprint: the Checks dock's marks ask for every flagged piece's after each edit)."""
        shape = self._shapes[piece_id]
        cached = self._rings.get(piece_id)
        if cached is not None and cached[0] is shape:
            return cached[1]
        rings = [
            shapely.get_coordinates(part.exterior).tolist()
            for part in getattr(shape, "geoms", [shape])
            if isinstance(part, shapely.Polygon)
        ]
        self._rings[piece_id] = (shape, rings)
        return rings

    def check(
        self, table: TableLayout, gap: float = DEFAULT_GAP, unit: LengthUnit = LengthUnit.MM
    ) -> list[Finding]:
        with self._lock:
            return self._check(table, gap, unit)

    def _check(self, table: TableLayout, gap: float, unit: LengthUnit) -> list[Finding]:
        settings = (table.width, table.depth, gap, unit)
        if settings != self._settings:
            self._reset()
            self._settings = settings
        current = {p.id: p for p in table.pieces}
        changed = {
            p.id for p in table.pieces if self._keys.get(p.id, self) != piece_key(p)
        }  # (`self`: no key yet, a new piece)
        removed = set(self._order) - current.keys()
        kept_before = [i for i in self._order if i in current and i not in changed]
        if kept_before != [p.id for p in table.pieces if p.id not in changed]:
            changed = set(current)  # reordered: everything again
        # Unchanged pieces keep their objects (their heights are worked out once).
        pieces = tuple(p if p.id in changed else self._pieces[p.id] for p in table.pieces)
        table = TableLayout(table.name, table.width, table.depth, pieces)
        before = [self._boxes[i] for i in (changed | removed) if i in self._boxes]
        for gone in removed:
            for store in (
                self._pieces,
                self._keys,
                self._shapes,
                self._boxes,
                self._own,
                self._rings,
            ):
                store.pop(gone, None)
        for piece in pieces:
            if piece.id in changed:
                self._pieces[piece.id] = piece
                self._keys[piece.id] = piece_key(piece)
                self._shapes[piece.id] = footprint(piece)
                self._boxes[piece.id] = mesh_box(piece)
        self._order = [p.id for p in pieces]
        words = Wording(unit)
        geometries = np.array([self._shapes[p.id] for p in pieces], dtype=object)
        tree = shapely.STRtree(geometries)
        index = {p.id: n for n, p in enumerate(pieces)}
        moved = [index[i] for i in changed]
        for piece_id in changed | self._resting_on(tree, pieces, before, moved):
            piece = self._pieces[piece_id]
            self._own[piece_id] = piece_findings(piece, self._shapes[piece_id], table, words)
        self._pairs = {
            pair: found
            for pair, found in self._pairs.items()
            if not (
                pair[0] in changed or pair[1] in changed or pair[0] in removed or pair[1] in removed
            )
        }
        for i, j, distance in _pairs_with(tree, geometries, moved, gap):
            a, b = pieces[i], pieces[j]
            found = pair_finding(a, b, (geometries[i], geometries[j]), distance, gap, words)
            if found is not None:
                self._pairs[(a.id, b.id)] = found
        ordered = sorted(self._pairs, key=lambda pair: (index[pair[0]], index[pair[1]]))
        own = [f for p in pieces for f in self._own[p.id]]
        return own + [self._pairs[pair] for pair in ordered]

    def _resting_on(
        self,
        tree: shapely.STRtree,
        pieces: tuple[PlacedPiece, ...],
        before: list[BaseGeometry],
        moved: list[int],
    ) -> set[str]:
        """Raised pieces whose footprint meets a moved piece's box, before or after."""
        boxes = before + [self._boxes[pieces[n].id] for n in moved]
        if not boxes:
            return set()
        _, hit = tree.query(np.array(boxes, dtype=object), "intersects")
        return {pieces[n].id for n in set(hit.tolist()) if pieces[n].bottom > HEIGHT_TOLERANCE}


def _pairs_with(
    tree: shapely.STRtree, geometries: np.ndarray, moved: Iterable[int], gap: float
) -> list[tuple[int, int, float]]:
    """Each pair (i < j) with a moved footprint in it, less than `gap` apart, and the
    distance, measured as `checks._near_pairs` measures it (the first footprint first)."""
    moved = np.array(sorted(moved), dtype=np.int64)
    if not len(moved):
        return []
    which, other = tree.query(geometries[moved], "dwithin", distance=gap)
    first, second = moved[which], other
    left, right = np.minimum(first, second), np.maximum(first, second)
    ahead = left < right
    pairs = np.unique(np.column_stack([left[ahead], right[ahead]]), axis=0)
    if not len(pairs):
        return []
    distances = shapely.distance(geometries[pairs[:, 0]], geometries[pairs[:, 1]])
    return [
        (i, j, d) for (i, j), d in zip(pairs.tolist(), distances.tolist(), strict=True) if d < gap
    ]
