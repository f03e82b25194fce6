"""How far a reduced mesh strays from the model it stands for: a sampled Hausdorff distance.

Quadric decimation of a mesh that is already minimal (a few boxes of 12 triangles each) can
only remove triangles by joining corners of different parts: the result's vertices stay on the
model, but its triangles span the gaps between parts (torn spikes) and whole faces go missing.
Neither shows in a triangle count; both show as distance, in one direction or the other:
- from the tier to the model: points on the tier's triangles (not just its vertices, which
  stay on the surface) that lie off the model — spikes, webs between parts;
- from the model to the tier: points of the model that no triangle of the tier is near —
  faces, walls and pillars that went missing.
The larger of the two, over points spread on each surface (plus their vertices and triangle
centres), as a fraction of the model's bounding-box diagonal, so the bound means the same on
a 30 mm crate and a 300 mm ruin. Distances are found by VTK in C++ (an implicit distance over a
cell locator), up to 3,000 points a tier each way: some 30 ms a tier on a loaded machine.
"""

from typing import Any

import numpy as np
import trimesh

from terrain_meshes.vtk_data import as_polydata

#: Points spread over each surface, besides (up to as many of) its vertices and centres.
SAMPLES = 1_000


def points_on(mesh: trimesh.Trimesh, samples: int = SAMPLES) -> np.ndarray:
    """Points that cover `mesh`: area-weighted samples (fixed seed, so a check is repeatable),
    and up to `samples` each of its vertices and triangle centres (evenly strided)."""
    if len(mesh.faces) == 0:
        return np.zeros((0, 3))
    spread, _ = trimesh.sample.sample_surface(mesh, samples, seed=7)
    vertices = np.asarray(mesh.vertices)
    centres = np.asarray(mesh.triangles_center)
    parts = [spread, *(a[:: max(1, len(a) // samples)] for a in (vertices, centres))]
    return np.vstack(parts).astype(np.float64)


class Surface:
    """The model a ladder is made of, ready to measure tiers against (its distance function
    and its covering points built once)."""

    def __init__(self, model: trimesh.Trimesh) -> None:
        self.model = model
        self.diagonal = max(float(np.linalg.norm(model.extents)), 1e-12)
        self._distance = _distance_to(model)
        self._points = points_on(model)

    def deviation(self, tier: trimesh.Trimesh) -> float:
        """The sampled Hausdorff distance between `tier` and the model, over the diagonal;
        1.0 (as far as can be) for an empty tier."""
        if tier is self.model:
            return 0.0
        if len(tier.faces) == 0:
            return 1.0
        away = _farthest(self._distance, points_on(tier))
        missing = _farthest(_distance_to(tier), self._points)
        return max(away, missing) / self.diagonal


def deviation(model: trimesh.Trimesh, tier: trimesh.Trimesh) -> float:
    """`Surface(model).deviation(tier)`, for one tier."""
    return Surface(model).deviation(tier)


def _distance_to(mesh: trimesh.Trimesh) -> Any:
    from vtkmodules.vtkFiltersCore import vtkImplicitPolyDataDistance

    distance = vtkImplicitPolyDataDistance()
    distance.SetInput(as_polydata(mesh))
    return distance


def _farthest(distance: Any, points: np.ndarray) -> float:
    """The largest unsigned distance from `points` to the surface behind `distance`."""
    from vtkmodules.util import numpy_support
    from vtkmodules.vtkCommonCore import vtkDoubleArray

    if len(points) == 0:
        return 0.0
    found = vtkDoubleArray()
    distance.FunctionValue(numpy_support.numpy_to_vtk(np.ascontiguousarray(points), deep=1), found)
    return float(np.abs(numpy_support.vtk_to_numpy(found)).max())
