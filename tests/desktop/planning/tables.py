"""Constructed tables with known answers: boxes of chosen sizes at chosen places."""

import trimesh

from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_meshes.display import normalised


def box(
    piece_id: str,
    x: float,
    y: float,
    size: tuple[float, float, float],
    *,
    z: float = 0.0,
    rotation: float = 0.0,
) -> PlacedPiece:
    mesh = normalised(trimesh.creation.box(extents=size))
    return PlacedPiece(piece_id, f"box-{size}", f"Box {piece_id}", x, y, z, rotation, 1.0, mesh)


def table(*pieces: PlacedPiece, width: float = 600.0, depth: float = 400.0) -> TableLayout:
    return TableLayout("Constructed", width, depth, pieces)
