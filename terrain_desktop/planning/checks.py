"""Checks a table before it is played on: pieces that overlap, hang over the edge, float in
the air, or stand too close for a model's base to pass between them.

All of them use the pieces' real footprints (see `footprints.py`) and their heights, so a
piece resting on another (a barrel on a hill's slope, a wall on a floor tile) is not an
overlap while one sunk into it is, and two modular tiles butted edge to edge are
neither overlapping nor too close (touching is deliberate; a sliver of gap is not). Low
pieces (floor tiles) are ground to stand on, never too close to anything.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import MM_PER_INCH, LengthUnit, format_length
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.raycast import surface_heights

#: A model base of 32 mm is the common infantry size.
DEFAULT_GAP = 32.0
#: Overlaps smaller than this (mm², mm) are rounding, not a mistake a player would see.
OVERLAP_AREA = 1.0
HEIGHT_TOLERANCE = 0.5
TOUCHING = 0.05
#: A stacked piece whose base is this far (mm) below the surface it stands on is sunk into it.
SINK_TOLERANCE = 1.0
#: A piece no taller than this (mm) is ground a model stands on (a floor tile, a road), not
#: an obstacle a base must pass between.
GROUND_MM = 10.0
#: Spacing (mm) of the points under a raised piece where what holds it up is looked for.
SUPPORT_STEP = 2.0


class Kind(StrEnum):
    OVERLAP = "overlap"
    OFF_TABLE = "off-table"
    FLOATING = "floating"
    TOO_CLOSE = "too-close"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    pieces: tuple[str, ...]
    message: str
    measure: float
    """Overlap area (mm²), area off the table (mm²), height in the air (mm) or gap (mm)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "pieces": list(self.pieces),
            "message": self.message,
            "measure": round(self.measure, 2),
        }


def _label(piece: PlacedPiece) -> str:
    return f"{piece.name} ({piece.id})"


def _heights_meet(a: PlacedPiece, b: PlacedPiece) -> bool:
    return min(a.top, b.top) - max(a.bottom, b.bottom) > HEIGHT_TOLERANCE


def _support(piece: PlacedPiece, shape: BaseGeometry, table: TableLayout) -> float:
    """The highest surface of the other pieces anywhere under this one's footprint (or 0)."""
    low_x, low_y, high_x, high_y = shape.bounds
    xs = np.arange(low_x, high_x + SUPPORT_STEP, SUPPORT_STEP)
    ys = np.arange(low_y, high_y + SUPPORT_STEP, SUPPORT_STEP)
    grid_x, grid_y = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(shape, grid_x.ravel(), grid_y.ravel())
    points = np.vstack(
        [
            np.column_stack([grid_x.ravel()[inside], grid_y.ravel()[inside]]),
            shapely.get_coordinates(shape),
        ]
    )
    others = [p for p in table.pieces if p.id != piece.id and p.bottom < piece.bottom]
    return float(surface_heights(others, points).max(initial=0.0))


def _sunk(a: PlacedPiece, b: PlacedPiece, shared: BaseGeometry) -> float | None:
    """When one piece stands higher than the other: how far its base is below the other's
    surface where it stands (0 or less: it rests on it; more: it is sunk into it). None when
    both stand on the same level (side by side: a plain overlap).

    Where it stands is its centre, as the editor drops pieces (on the surface under the
    point dropped); a piece whose centre is off the other is measured over what they share.
    """
    upper, lower = (a, b) if a.bottom > b.bottom else (b, a)
    if upper.bottom - lower.bottom <= HEIGHT_TOLERANCE:
        return None
    centre = surface_heights([lower], np.array([[upper.x, upper.y]]))[0]
    if centre <= lower.bottom:  # not over it at the centre: the highest point they share
        low_x, low_y, high_x, high_y = shared.bounds
        xs = np.arange(low_x, high_x + SUPPORT_STEP, SUPPORT_STEP)
        ys = np.arange(low_y, high_y + SUPPORT_STEP, SUPPORT_STEP)
        grid_x, grid_y = (g.ravel() for g in np.meshgrid(xs, ys))
        inside = shapely.contains_xy(shared, grid_x, grid_y)
        points = np.column_stack([grid_x[inside], grid_y[inside]])
        centre = float(surface_heights([lower], points).max(initial=lower.bottom))
    return float(centre) - upper.bottom


class Wording:
    """How findings give lengths and areas: in `unit` (the measures stay mm)."""

    def __init__(self, unit: LengthUnit = LengthUnit.MM) -> None:
        self.unit = unit

    def length(self, mm: float) -> str:
        return format_length(mm, self.unit)

    def area(self, mm2: float) -> str:
        if self.unit == LengthUnit.INCH:
            return f"{mm2 / MM_PER_INCH**2:.2f} sq in"
        return f"{mm2:.0f} mm²"


def piece_findings(
    piece: PlacedPiece, shape: BaseGeometry, table: TableLayout, words: Wording
) -> list[Finding]:
    """What is wrong with one piece on its own: off the table, in the air (over the others)."""
    findings: list[Finding] = []
    board = shapely.box(0, 0, table.width, table.depth)
    outside = shape.difference(board).area
    if outside > OVERLAP_AREA:
        share = outside / max(shape.area, 1e-9)
        findings.append(
            Finding(
                Kind.OFF_TABLE,
                (piece.id,),
                f"{_label(piece)} hangs over the table edge "
                f"({share:.0%} of it, {words.area(outside)})",
                outside,
            )
        )
    if piece.bottom > HEIGHT_TOLERANCE:
        gap_below = piece.bottom - _support(piece, shape, table)
        if gap_below > HEIGHT_TOLERANCE:
            findings.append(
                Finding(
                    Kind.FLOATING,
                    (piece.id,),
                    f"{_label(piece)} floats {words.length(gap_below)} above what is beneath it",
                    gap_below,
                )
            )
    return findings


def pair_finding(
    a: PlacedPiece,
    b: PlacedPiece,
    shapes: tuple[BaseGeometry, BaseGeometry],
    distance: float,
    gap: float,
    words: Wording,
) -> Finding | None:
    """What is wrong with two pieces closer than `gap` (`a` first in the table), if anything."""
    shape_a, shape_b = shapes
    # Footprints apart have nothing in common: only touching ones are intersected.
    overlap = shape_a.intersection(shape_b).area if distance == 0 else 0.0
    if overlap > OVERLAP_AREA and _heights_meet(a, b):
        sunk = _sunk(a, b, shape_a.intersection(shape_b))
        if sunk is None:
            message = f"{_label(a)} and {_label(b)} overlap by {words.area(overlap)}"
        elif sunk > SINK_TOLERANCE:
            upper, lower = (a, b) if a.bottom > b.bottom else (b, a)
            message = f"{_label(upper)} sinks {words.length(sunk)} into {_label(lower)}"
        else:
            return None  # stacked: one rests on the other (a barrel on a hill)
        return Finding(Kind.OVERLAP, (a.id, b.id), message, overlap)
    if distance > TOUCHING and min(a.top - a.bottom, b.top - b.bottom) > GROUND_MM:
        return Finding(
            Kind.TOO_CLOSE,
            (a.id, b.id),
            f"{_label(a)} and {_label(b)} are {words.length(distance)} apart: "
            f"a {words.length(gap)} base cannot pass between them",
            distance,
        )
    return None


def check_table(
    table: TableLayout, gap: float = DEFAULT_GAP, unit: LengthUnit = LengthUnit.MM
) -> list[Finding]:
    """What is wrong with the table; the messages give lengths in `unit` (measures stay mm).

    Each piece's own findings in the table's order, then each pair's (in the order of its
    first piece, then its second). `check_cache.TableChecker` gives the same list after an
    edit by checking again only what the edit can have changed."""
    words = Wording(unit)
    shapes: dict[str, BaseGeometry] = {p.id: footprint(p) for p in table.pieces}
    findings: list[Finding] = []
    for piece in table.pieces:
        findings.extend(piece_findings(piece, shapes[piece.id], table, words))
    pieces = table.pieces
    for i, j, distance in _near_pairs([shapes[p.id] for p in pieces], gap):
        a, b = pieces[i], pieces[j]
        found = pair_finding(a, b, (shapes[a.id], shapes[b.id]), distance, gap, words)
        if found is not None:
            findings.append(found)
    return findings


def _near_pairs(shapes: list[BaseGeometry], gap: float) -> list[tuple[int, int, float]]:
    """Each pair (i < j, in that order) of footprints less than `gap` apart, with the distance.

    Candidates come from a spatial index, so a table of 1,000 pieces costs what each piece's
    neighbours cost, not half a million exact distances (that took half a minute, after every
    edit, while the Checks dock kept up with the table).
    """
    if not shapes:
        return []
    geometries = np.array(shapes, dtype=object)
    left, right = shapely.STRtree(geometries).query(geometries, "dwithin", distance=gap)
    ahead = left < right
    left, right = left[ahead], right[ahead]
    order = np.lexsort((right, left))
    left, right = left[order], right[order]
    distances = shapely.distance(geometries[left], geometries[right])
    return [
        (i, j, d)
        for i, j, d in zip(left.tolist(), right.tolist(), distances.tolist(), strict=True)
        if d < gap
    ]
