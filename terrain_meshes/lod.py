"""The level-of-detail ladder: the same model at several triangle budgets.

A table shows dozens of pieces of 100,000-450,000 triangles each, and a software renderer's
frame time follows the triangle count. Each piece is drawn with the tier that fits its size
on screen (`terrain_desktop.scene.lod`), so the ladder must *reach* its budgets: a tier that
stops at three times its budget breaks the scene's sums. Quadric decimation
(fast-simplification) gives the best shape; where it stalls short of a budget (thin parts,
borders, non-manifold files), vertex clustering on a grid (VTK) always gets there, and the
result is decimated once more towards the budget.

Every tier is made from the one above it: cheap, and each step only removes what the
previous kept.
"""

from collections.abc import Sequence
from typing import Any

import fast_simplification
import numpy as np
import trimesh

from terrain_meshes.budgets import LADDER as LADDER  # the display tiers' budgets, densest first
from terrain_meshes.repair import single, three_corners

#: A decimation that ends above budget * this has stalled; clustering takes over.
STALL_MARGIN = 1.05

#: Big meshes reduced by more than this factor start with a clustering pass to budget * this:
#: quadric decimation of a subdivided or scanned mesh of 100,000+ triangles costs seconds and
#: can stall far from its target, while on the clustered mesh it takes a fraction of a second.
PRE_CLUSTER_RATIO = 2

#: Where fast-simplification stalls (many borders and creases), meshes up to this size are
#: decimated again by VTK's quadric decimation, from the same input: it keeps collapsing and
#: keeps shape better, but costs tens of times more, so it is the second try only.
VTK_QUADRIC_LIMIT = 60_000


def ladder(mesh: trimesh.Trimesh, budgets: Sequence[int] = LADDER) -> list[trimesh.Trimesh]:
    """One mesh per budget, each within it. A mesh already under a budget is used as is (the
    same object), so a light model's tiers share their arrays."""
    tiers: list[trimesh.Trimesh] = []
    current = mesh
    for budget in budgets:
        if len(current.faces) > budget:
            current = reduced(current, budget)
        tiers.append(current)
    return tiers


def reduced(mesh: trimesh.Trimesh, budget: int) -> trimesh.Trimesh:
    """A copy of `mesh` with at most `budget` triangles (and close to it)."""
    if len(mesh.faces) <= budget:
        return mesh
    result = mesh
    if len(result.faces) > max(VTK_QUADRIC_LIMIT, PRE_CLUSTER_RATIO * budget):
        # A big mesh, a big reduction: one linear clustering pass first, quadric for the rest.
        result = clustered(result, budget * PRE_CLUSTER_RATIO)
    attempt = _quadric(result, budget)
    if len(attempt.faces) > budget * STALL_MARGIN and len(result.faces) <= VTK_QUADRIC_LIMIT:
        attempt = _vtk_quadric(result, budget)  # from the same input: the stalled one is worse
    result = attempt
    if len(result.faces) > budget * STALL_MARGIN:
        result = _quadric(clustered(result, budget), budget)
    if len(result.faces) > budget:  # the last few: the clustering grid alone guarantees it
        result = clustered(result, budget)
    return result


def _quadric(mesh: trimesh.Trimesh, budget: int) -> trimesh.Trimesh:
    count = len(mesh.faces)
    if count <= budget:
        return mesh
    points, triangles = fast_simplification.simplify(
        np.asarray(mesh.vertices, dtype=np.float32),
        np.asarray(mesh.faces, dtype=np.int32),
        # Aim a little under: the decimator stops near, not exactly at, its target.
        target_count=max(4, int(budget * 0.97)),
        agg=7,
    )
    return _clean(points, triangles)


def _vtk_quadric(mesh: trimesh.Trimesh, budget: int) -> trimesh.Trimesh:
    """VTK's quadric decimation (see `VTK_QUADRIC_LIMIT` for when)."""
    from vtkmodules.util import numpy_support
    from vtkmodules.vtkFiltersCore import vtkQuadricDecimation

    decimation = vtkQuadricDecimation()
    decimation.SetInputData(as_polydata(mesh))
    decimation.SetTargetReduction(1.0 - budget * 0.97 / len(mesh.faces))
    decimation.VolumePreservationOn()
    decimation.Update()
    output = decimation.GetOutput()
    vertices = numpy_support.vtk_to_numpy(output.GetPoints().GetData())
    triangles = numpy_support.vtk_to_numpy(output.GetPolys().GetConnectivityArray())
    return _clean(vertices, triangles.reshape(-1, 3))


def clustered(mesh: trimesh.Trimesh, budget: int) -> trimesh.Trimesh:
    """At most `budget` triangles by vertex clustering: the vertices in each cell of a grid
    become one, at their mean; triangles left with fewer than three corners go. Linear in
    the input (one sort of packed cell keys) and never tears a surface that was whole. The
    grid is sized from the surface area and made coarser until the result fits."""
    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    low = vertices.min(axis=0)
    # About two triangles per grid cell the surface passes through, to start with.
    cell = float(np.sqrt(2.0 * max(float(mesh.area), 1e-12) / budget))
    best: trimesh.Trimesh | None = None
    candidate = mesh
    for _ in range(10):
        cell = max(cell, float(np.max(mesh.extents)) / 2_000_000)  # keys fit 21 bits an axis
        snapped = np.floor((vertices - low) / cell).astype(np.int64)
        key = (snapped[:, 0] << 42) | (snapped[:, 1] << 21) | snapped[:, 2]
        _, group, sizes = np.unique(key, return_inverse=True, return_counts=True)
        group = group.ravel()
        centres = (
            np.stack([np.bincount(group, weights=vertices[:, axis]) for axis in range(3)], axis=1)
            / sizes[:, None]
        )
        candidate = _clean(centres, group[faces], unique=True)
        count = max(1, len(candidate.faces))
        if count <= budget and (best is None or count > len(best.faces)):
            best = candidate
        if best is not None and len(best.faces) >= budget * 0.6:
            break
        # Triangles go roughly as 1 / cell^2; aim a little under the budget.
        cell *= float(np.clip(np.sqrt(count / (budget * 0.85)), 0.3, 3.0))
    return best if best is not None else candidate


def as_polydata(mesh: trimesh.Trimesh) -> Any:
    """The mesh as VTK polygons (copies the arrays)."""
    from vtkmodules.util import numpy_support
    from vtkmodules.vtkCommonCore import vtkPoints
    from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData

    polydata = vtkPolyData()
    points = vtkPoints()
    points.SetData(numpy_support.numpy_to_vtk(np.asarray(mesh.vertices, dtype=np.float64), deep=1))
    polydata.SetPoints(points)
    cells = vtkCellArray()
    connectivity = numpy_support.numpy_to_vtkIdTypeArray(
        np.asarray(mesh.faces, dtype=np.int64).ravel(), deep=1
    )
    offsets = numpy_support.numpy_to_vtkIdTypeArray(
        np.arange(0, 3 * len(mesh.faces) + 1, 3, dtype=np.int64), deep=1
    )
    cells.SetData(offsets, connectivity)
    polydata.SetPolys(cells)
    return polydata


def _clean(vertices: np.ndarray, faces: np.ndarray, *, unique: bool = False) -> trimesh.Trimesh:
    """A mesh of the faces that still have three distinct corners (and, with `unique`, only
    those no other face shares all three corners with: see `repair.single`)."""
    faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
    keep = three_corners(faces)
    if unique:
        keep &= single(np.sort(faces, axis=1))
    mesh = trimesh.Trimesh(
        vertices=np.asarray(vertices, dtype=np.float64), faces=faces[keep], process=False
    )
    mesh.remove_unreferenced_vertices()
    return mesh
