"""A selection edited as one body: turned about its common centre, moved or turned with the
pieces stacked inside it carried along.

As in Sweet Home 3D and every CAD tool, a modular building turned as a group stays a
building: each piece's position turns about the selection's centre and its facing turns by
the same angle. A piece resting on another piece of the group (a barrel on a hill, a wall on
a floor tile) keeps its height above it, while the group's lowest pieces come to rest on
whatever is beneath them at their new places.
"""

import math
from collections.abc import Iterable, Mapping

from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import PieceChanges

#: Heights closer than this (mm) count as touching: a piece this near a top rests on it.
TOUCHING_MM = 0.5


def centre(doc: TableDocument, piece_ids: Iterable[str]) -> tuple[float, float]:
    """The selection's centre on the table: the mean of its pieces' positions (where the
    rotation ring is drawn)."""
    pieces = [doc.pieces[i] for i in piece_ids if i in doc.pieces]
    if not pieces:
        return 0.0, 0.0
    return sum(p.x for p in pieces) / len(pieces), sum(p.y for p in pieces) / len(pieces)


def turned(
    doc: TableDocument, piece_ids: Iterable[str], degrees: float, *, each_in_place: bool = False
) -> dict[str, PieceChanges]:
    """Where each piece goes when the group turns by `degrees` (anticlockwise from above)
    about its centre: x, y and rotation (only the rotation when `each_in_place`)."""
    ids = sorted(piece_ids)
    cx, cy = centre(doc, ids)
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    wanted: dict[str, PieceChanges] = {}
    for piece_id in ids:
        piece = doc.pieces[piece_id]
        rotation = (piece.rotation + degrees) % 360
        if each_in_place or len(ids) == 1:
            wanted[piece_id] = {"rotation": rotation}
            continue
        dx, dy = piece.x - cx, piece.y - cy
        wanted[piece_id] = {
            "x": round(cx + dx * cos - dy * sin, 6),
            "y": round(cy + dx * sin + dy * cos, 6),
            "rotation": rotation,
        }
    return wanted


def rested(
    doc: TableDocument, places: Mapping[str, tuple[float, float]]
) -> dict[str, PieceChanges]:
    """x, y and z for each piece of a group going to `places`: a piece carried by another
    piece of the group keeps its height above it; the others rest on what is beneath them
    outside the group (or the table)."""
    group = set(places)
    order = sorted(group, key=lambda i: (doc.pieces[i].z, i))
    lifted: dict[str, float] = {}  # how far each piece rose (or fell) in the move
    wanted: dict[str, PieceChanges] = {}
    for piece_id in order:
        piece = doc.pieces[piece_id]
        x, y = places[piece_id]
        carrier = _carrier(doc, piece_id, group, lifted)
        if carrier is not None:
            z = piece.z + lifted[carrier]
        else:
            z = doc.resting_height(x, y, ignore=group)
        lifted[piece_id] = z - piece.z
        wanted[piece_id] = {"x": x, "y": y, "z": z}
    return wanted


def _carrier(
    doc: TableDocument, piece_id: str, group: set[str], placed: Mapping[str, float]
) -> str | None:
    """The piece of the group this one rests on (already placed: lower down), if any."""
    piece = doc.pieces[piece_id]
    if piece.z <= doc.resting_height(piece.x, piece.y, ignore=group) + TOUCHING_MM:
        return None  # on the table, or on something outside the group
    best: tuple[float, str] | None = None
    for other_id in placed:
        footprint = doc.footprint(doc.pieces[other_id])
        if footprint is None or not footprint.contains(piece.x, piece.y):
            continue
        if doc.pieces[other_id].z < piece.z + TOUCHING_MM and (
            best is None or footprint.top > best[0]
        ):
            best = (footprint.top, other_id)
    return None if best is None else best[1]
