"""Checks a table before it is played on: pieces that overlap, hang over the edge, float in
the air, or stand too close for a model's base to pass between them.

All of them use the pieces' real footprints (see `footprints.py`) and their heights, so a
tower standing on a hill is not an overlap, and two modular tiles butted edge to edge are
neither overlapping nor too close (touching is deliberate; a sliver of gap is not).
"""

from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

import shapely
from shapely.geometry.base import BaseGeometry

from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import PlacedPiece, TableLayout

#: A model base of 32 mm is the common infantry size.
DEFAULT_GAP = 32.0
#: Overlaps smaller than this (mm², mm) are rounding, not a mistake a player would see.
OVERLAP_AREA = 1.0
HEIGHT_TOLERANCE = 0.5
TOUCHING = 0.05


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
    amount: float
    """Overlap area (mm²), area off the table (mm²), height in the air (mm) or gap (mm)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "pieces": list(self.pieces),
            "message": self.message,
            "amount": round(self.amount, 2),
        }


def _label(piece: PlacedPiece) -> str:
    return f"{piece.name} ({piece.id})"


def _heights_meet(a: PlacedPiece, b: PlacedPiece) -> bool:
    return min(a.top, b.top) - max(a.bottom, b.bottom) > HEIGHT_TOLERANCE


def check_table(table: TableLayout, gap: float = DEFAULT_GAP) -> list[Finding]:
    shapes: dict[str, BaseGeometry] = {p.id: footprint(p) for p in table.pieces}
    board = shapely.box(0, 0, table.width, table.depth)
    findings: list[Finding] = []
    for piece in table.pieces:
        shape = shapes[piece.id]
        outside = shape.difference(board).area
        if outside > OVERLAP_AREA:
            share = outside / max(shape.area, 1e-9)
            findings.append(
                Finding(
                    Kind.OFF_TABLE,
                    (piece.id,),
                    f"{_label(piece)} hangs over the table edge ({share:.0%} of it)",
                    outside,
                )
            )
        if piece.bottom > HEIGHT_TOLERANCE and not any(
            other.id != piece.id
            and other.top >= piece.bottom - HEIGHT_TOLERANCE
            and other.bottom < piece.bottom
            and shapes[other.id].intersects(shape)
            for other in table.pieces
        ):
            findings.append(
                Finding(
                    Kind.FLOATING,
                    (piece.id,),
                    f"{_label(piece)} floats {piece.bottom:.0f} mm above the table",
                    piece.bottom,
                )
            )
    for a, b in combinations(table.pieces, 2):
        shape_a, shape_b = shapes[a.id], shapes[b.id]
        if shape_a.distance(shape_b) >= gap:
            continue
        overlap = shape_a.intersection(shape_b).area
        if overlap > OVERLAP_AREA and _heights_meet(a, b):
            findings.append(
                Finding(
                    Kind.OVERLAP,
                    (a.id, b.id),
                    f"{_label(a)} and {_label(b)} overlap by {overlap:.0f} mm²",
                    overlap,
                )
            )
            continue
        distance = shape_a.distance(shape_b)
        if TOUCHING < distance < gap:
            findings.append(
                Finding(
                    Kind.TOO_CLOSE,
                    (a.id, b.id),
                    f"{_label(a)} and {_label(b)} are {distance:.0f} mm apart: "
                    f"a {gap:.0f} mm base cannot pass between them",
                    distance,
                )
            )
    return findings
