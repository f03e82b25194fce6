"""Whether a mesh's back faces can ever show: closed, consistently wound, facing outwards.

Such a mesh seen from outside hides every back face behind one of its front faces, so its
back faces can be culled without changing a pixel, and the software renderer then sets up
and fills about half the triangles (a quarter to a half of a frame at 1,000 real pieces,
benchmarks/viewport_real.py). Imported terrain often is not closed (open bases, stray
shells), and simplified tiers may tear, so each tier is checked on its own and only the ones
that pass are culled (`LevelOfDetail.track`).
"""

from typing import Any

import numpy as np


def back_faces_hidden(mesh: Any) -> bool:
    """True when every edge joins exactly two triangles that run it in opposite directions
    (closed and consistently wound, once the split copies of points are welded) and the
    enclosed volume is positive (the triangles face outwards)."""
    polys = mesh.GetPolys()
    if not mesh.GetNumberOfPolys() or mesh.GetNumberOfCells() != mesh.GetNumberOfPolys():
        return False
    offsets = np.asarray(polys.GetOffsetsArray())
    if not np.all(np.diff(offsets) == 3):
        return False  # polygons other than triangles: not what the tiers are
    connectivity = np.asarray(polys.GetConnectivityArray())
    triangles = connectivity.reshape(-1, 3)
    points = np.ascontiguousarray(np.asarray(mesh.GetPoints().GetData(), dtype=np.float32))
    # Split copies of a point carry the very same coordinates: weld them by their bytes.
    _, weld = np.unique(points.view(np.dtype((np.void, 12))).ravel(), return_inverse=True)
    corners = weld.reshape(-1)[triangles].astype(np.int64)
    if np.any(corners == np.roll(corners, 1, axis=1)):
        return False  # a degenerate triangle: not a clean surface
    n = int(weld.max()) + 1
    ends = [(corners[:, i], corners[:, (i + 1) % 3]) for i in range(3)]
    edges = np.sort(np.concatenate([a * n + b for a, b in ends]))
    if np.any(edges[1:] == edges[:-1]):
        return False  # an edge run twice the same way: inconsistent winding or non-manifold
    reverse = np.sort(np.concatenate([b * n + a for a, b in ends]))
    if not np.array_equal(edges, reverse):
        return False  # an edge with a triangle on one side only: a hole
    a, b, c = (points[triangles[:, i]].astype(np.float64) for i in (0, 1, 2))
    volume = float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum()) / 6.0
    return volume > 0.0
