"""The level-of-detail ladder: the same model at several triangle budgets.

A table shows dozens of pieces of 100,000-450,000 triangles each, and a software renderer's
frame time follows the triangle count. Each piece is drawn with the tier that fits its size
on screen (`terrain_desktop.scene.lod`), so the ladder must *reach* its budgets: a tier that
stops at three times its budget breaks the scene's sums. Quadric decimation
(fast-simplification) gives the best shape; where it stalls short of a budget (thin parts,
borders, non-manifold files), vertex clustering on a grid (VTK) always gets there, and the
result is decimated once more towards the budget.

Every tier is made from the one above it: cheap, and each step only removes what the
previous kept. Each is then measured against the model (`deviation`: the sampled Hausdorff
distance, over the bounding diagonal); one that strays more than `MAX_DEVIATION` — a blocky
mesh decimated past its minimum tears into spikes — is made again (`faithful`: VTK's quadric
decimation, clustering) and the closest of the tries is kept. A budget is never broken for
shape (the scene's sums rely on it): the tier keeps its measured deviation in
`metadata["deviation"]`, and what may be stored or shown as a preview is decided on it
(`terrain_meshes.tiers`).
"""

import functools
from collections.abc import Sequence

import fast_simplification
import numpy as np
import trimesh

from terrain_meshes import deviation
from terrain_meshes.budgets import LADDER as LADDER  # the display tiers' budgets, densest first
from terrain_meshes.repair import single, three_corners
from terrain_meshes.vtk_data import as_polydata as as_polydata  # where callers found it

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


#: A tier may stray from the model by at most this fraction of its bounding-box diagonal: at
#: the catalogue's 3D view (about 500 px across) 2% is a few pixels; torn spikes are 5-20%.
MAX_DEVIATION = 0.02

#: Where the measured deviation of a tier is kept (`trimesh.Trimesh.metadata`).
DEVIATION = "deviation"


def ladder(mesh: trimesh.Trimesh, budgets: Sequence[int] = LADDER) -> list[trimesh.Trimesh]:
    """One mesh per budget, each within it. A mesh already under a budget is used as is (the
    same object), so a light model's tiers share their arrays. Every reduced tier carries its
    measured deviation from `mesh` (`deviation_of`)."""
    tiers: list[trimesh.Trimesh] = []
    current = mesh
    surface: deviation.Surface | None = None
    for budget in budgets:
        if len(current.faces) > budget:
            surface = surface or deviation.Surface(mesh)
            current = faithful(surface, current, budget)
        tiers.append(current)
    return tiers


def faithful(surface: deviation.Surface, above: trimesh.Trimesh, budget: int) -> trimesh.Trimesh:
    """`above` reduced to `budget`; when that strays more than `MAX_DEVIATION` from the model,
    the closest of it and the retries: VTK's volume-preserving quadric decimation of `above`
    (and of the model, when small enough), then clustering `above` on a grid. They cost only
    where the cheap way failed, and never break the budget."""
    model = surface.model
    best = reduced(above, budget)
    error = surface.deviation(best)
    sources = [above] if above is model else [above, model]
    sources = [m for m in sources if len(m.faces) <= VTK_QUADRIC_LIMIT]
    retries = [*(functools.partial(_vtk_quadric, m, budget) for m in sources)]
    retries.append(functools.partial(clustered, above, budget))
    for retry in retries if error > MAX_DEVIATION else ():
        candidate = retry()
        if not 0 < len(candidate.faces) <= budget:
            continue
        found = surface.deviation(candidate)
        if found < error:
            best, error = candidate, found
        if error <= MAX_DEVIATION:
            break
    best.metadata[DEVIATION] = error
    return best


def deviation_of(tier: trimesh.Trimesh) -> float:
    """A tier's measured deviation from its model (0 for a mesh `ladder` did not reduce)."""
    return float(tier.metadata.get(DEVIATION, 0.0))


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


def snapped(mesh: trimesh.Trimesh, cell: float) -> trimesh.Trimesh:
    """Every vertex moved to the centre of its cell of a grid of `cell` (from the mesh's low
    corner); vertices in one cell become one, triangles left with fewer than three corners
    go. No point moves more than half a cell's diagonal. Triangles that now coincide stay (two
    parts a gap of less than a cell apart meet, each keeps its face) — unlike `clustered`,
    which drops both and would open a hole."""
    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    low = vertices.min(axis=0)
    index = np.floor((vertices - low) / cell).astype(np.int64)
    cells, group = np.unique(index, axis=0, return_inverse=True)
    centres = low + (cells + 0.5) * cell
    return _clean(centres, group.ravel()[np.asarray(mesh.faces, dtype=np.int64)])


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
