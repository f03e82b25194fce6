"""Constructed tables with known answers: boxes of chosen sizes at chosen places."""

import trimesh

from terrain_desktop.app_data import SAMPLE_LAYOUT, asset_lookup
from terrain_desktop.domain.catalogue import sample_asset_id
from terrain_desktop.planning.layout import PlacedPiece, TableLayout, layout_from_placements
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


def sample_table(copies: int = 1) -> TableLayout:
    """The first-launch sample table (its real bundled meshes), `copies` times over."""
    placements = [
        {"id": f"{slug}-{n}", "modelId": sample_asset_id(slug), "x": x, "y": y, "rotation": r}
        for n in range(copies)
        for slug, x, y, r in SAMPLE_LAYOUT
    ]
    return layout_from_placements("Sample", 1200, 900, placements, asset_lookup)
