"""Symmetric tables: every piece has a twin, so neither side of the table is the better one.

Two kinds, about the table's centre:

- point symmetry (the tournament convention): the twin of a piece at (x, y) turned by r stands
  at (W - x, D - y) turned by r + 180, so both players look at the same table from their edge;
- mirror symmetry about the long axis (the line through the centre along the long edges): the
  twin stands reflected across that line and is turned to its reflected heading (-r when the
  long edges run along x, 180 - r when they run along y). A mesh is never mirrored (a store
  bought piece has no mirror image), so a lopsided piece's twin is the same piece turned to
  face the same way across the line: exact for pieces that are symmetric about their own
  axis (walls, containers, most ruins), and the nearest a real kit can do otherwise.

"Make symmetric" keeps the pieces on one half (the half nearer the first long edge: y < D/2,
or x < W/2 on a table whose long edges run along y), drops those on the other, and adds each
kept piece's twin. A piece on the dividing line that is its own twin is kept once.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from terrain_desktop.domain.piece import Piece

#: How close a twin must be (mm, degrees) to count as one.
TWIN_DISTANCE = 0.1
TWIN_ANGLE = 0.1


class Symmetry(StrEnum):
    POINT = "point"
    MIRROR = "mirror"


def twin_pose(
    x: float, y: float, rotation: float, width: float, depth: float, mode: Symmetry
) -> tuple[float, float, float]:
    """Where the twin of a piece at x, y turned by `rotation` stands, and its heading."""
    if mode == Symmetry.POINT:
        return width - x, depth - y, (rotation + 180.0) % 360.0
    if width >= depth:  # the long axis is the line y = D/2
        return x, depth - y, (-rotation) % 360.0
    return width - x, y, (180.0 - rotation) % 360.0


def _angle_apart(a: float, b: float) -> float:
    difference = (a - b) % 360.0
    return min(difference, 360.0 - difference)


def _same_pose(a: Piece, x: float, y: float, rotation: float) -> bool:
    return (
        abs(a.x - x) <= TWIN_DISTANCE
        and abs(a.y - y) <= TWIN_DISTANCE
        and _angle_apart(a.rotation, rotation) <= TWIN_ANGLE
    )


def twin(piece: Piece, width: float, depth: float, mode: Symmetry, new_id: str) -> Piece:
    x, y, rotation = twin_pose(piece.x, piece.y, piece.rotation, width, depth, mode)
    return replace(piece, id=new_id, x=x, y=y, rotation=rotation)


def is_own_twin(piece: Piece, width: float, depth: float, mode: Symmetry) -> bool:
    """Whether the piece stands where its twin would (the centre, or on the mirror line): one
    piece cannot face two ways, so it is its own twin whichever way it is turned."""
    x, y, _ = twin_pose(piece.x, piece.y, piece.rotation, width, depth, mode)
    return abs(piece.x - x) <= TWIN_DISTANCE and abs(piece.y - y) <= TWIN_DISTANCE


def _side(piece: Piece, width: float, depth: float) -> tuple[float, float]:
    """Across the dividing line (negative on the kept half) and along it (from the centre)."""
    if width >= depth:
        return piece.y - depth / 2, piece.x - width / 2
    return piece.x - width / 2, piece.y - depth / 2


def unmatched(pieces: Sequence[Piece], width: float, depth: float, mode: Symmetry) -> list[str]:
    """The ids of pieces with no twin (same asset and scale, within 0.1 mm and 0.1°)."""
    lonely = []
    for piece in pieces:
        x, y, rotation = twin_pose(piece.x, piece.y, piece.rotation, width, depth, mode)
        if is_own_twin(piece, width, depth, mode):
            continue
        if not any(
            other.asset_id == piece.asset_id
            and abs(other.scale - piece.scale) < 1e-6
            and abs(other.z - piece.z) <= TWIN_DISTANCE
            and _same_pose(other, x, y, rotation)
            for other in pieces
        ):
            lonely.append(piece.id)
    return lonely


@dataclass(frozen=True)
class Completion:
    """What "Make symmetric" does to a table: pieces to remove, pieces to add."""

    removed: list[str]
    added: list[Piece]


def make_symmetric(
    pieces: Sequence[Piece],
    width: float,
    depth: float,
    mode: Symmetry,
    new_id: Callable[[], str],
) -> Completion:
    """Keep the first half's pieces, drop the other half's, add a twin for each kept one."""
    removed: list[str] = []
    added: list[Piece] = []
    for piece in pieces:
        across, along = _side(piece, width, depth)
        on_line = abs(across) <= TWIN_DISTANCE
        if across > TWIN_DISTANCE or (on_line and mode == Symmetry.POINT and along > 0):
            removed.append(piece.id)
        elif not is_own_twin(piece, width, depth, mode):
            added.append(twin(piece, width, depth, mode, new_id()))
    return Completion(removed, added)


def symmetric_pieces(
    pieces: Sequence[Piece], width: float, depth: float, mode: Symmetry, new_id: Callable[[], str]
) -> list[Piece]:
    """The table's pieces after "Make symmetric"."""
    done = make_symmetric(pieces, width, depth, mode, new_id)
    gone = set(done.removed)
    return [p for p in pieces if p.id not in gone] + done.added
