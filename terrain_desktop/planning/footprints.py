"""What a piece covers on the table: the outline of its mesh seen from above.

The outline is sampled, not guessed from a bounding box: vertical rays on a fine grid over the
mesh (0.5 mm, or finer than 1/400 of its size) tell where it has material, the runs of hit
cells in each row become rectangles, and their union, smoothed by half a cell, is the outline.
An L-shaped ruin is an L; a box is exactly its square (the grid is aligned to the mesh bounds).
A union of the mesh's upward-facing triangles would be exact too, but takes seconds for the
80,000-triangle tiles real kits are made of; the rays take milliseconds. The outline is worked
out once per asset, in the asset's own frame, then turned and moved for each piece.
"""

from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from terrain_desktop.planning.layout import PlacedPiece
from terrain_desktop.planning.raycast import asset_scene

if TYPE_CHECKING:  # trimesh loads with the first mesh, not with the docks at start-up
    import trimesh

SAMPLE_STEP = 0.5
MAX_SAMPLES = 400

_outlines: "dict[int, tuple[trimesh.Trimesh, BaseGeometry]]" = {}


def local_outline(mesh: "trimesh.Trimesh") -> BaseGeometry:
    """The mesh's projected outline in its own frame (cached per mesh object)."""
    cached = _outlines.get(id(mesh))
    if cached is not None and cached[0] is mesh:
        return cached[1]
    (x0, y0, _), (x1, y1, _) = np.asarray(mesh.bounds, dtype=np.float64)
    columns = int(np.clip(np.ceil((x1 - x0) / SAMPLE_STEP), 1, MAX_SAMPLES))
    rows = int(np.clip(np.ceil((y1 - y0) / SAMPLE_STEP), 1, MAX_SAMPLES))
    edges_x, edges_y = np.linspace(x0, x1, columns + 1), np.linspace(y0, y1, rows + 1)
    grid_x, grid_y = np.meshgrid((edges_x[:-1] + edges_x[1:]) / 2, (edges_y[:-1] + edges_y[1:]) / 2)
    tops = asset_scene(mesh).top(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    covered = ~np.isnan(tops).reshape(grid_x.shape)
    boxes = []
    for row in range(rows):
        padded = np.concatenate([[False], covered[row], [False]])
        changes = np.flatnonzero(padded[1:] != padded[:-1])
        for start, stop in zip(changes[::2], changes[1::2], strict=True):
            boxes.append(shapely.box(edges_x[start], edges_y[row], edges_x[stop], edges_y[row + 1]))
    step = max((x1 - x0) / columns, (y1 - y0) / rows)
    if boxes:
        outline = shapely.union_all(boxes).simplify(step / 2)
    else:  # nothing seen from above (a sheet standing edge-on): its projected hull
        outline = shapely.MultiPoint(np.asarray(mesh.vertices)[:, :2]).convex_hull
    _outlines[id(mesh)] = (mesh, outline)
    return outline


def footprint(piece: PlacedPiece) -> BaseGeometry:
    """The piece's outline where it stands on the table (millimetres, table coordinates)."""
    shape = local_outline(piece.mesh)
    if piece.scale != 1.0:
        shape = affinity.scale(shape, piece.scale, piece.scale, origin=(0, 0))
    if piece.rotation:
        shape = affinity.rotate(shape, piece.rotation, origin=(0, 0))
    return affinity.translate(shape, piece.x, piece.y)
