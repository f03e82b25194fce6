"""Where a piece comes to rest: a vertical ray cast on the meshes of the pieces beneath.

A farmhouse dropped over a fence rests on the fence's top rail, not 35 mm up on the fence's
bounding box; dropped beside a hill's summit it rests on the slope where it stands. Each mesh
gets one cell locator (shared by every piece of that asset); a ray is cast in the piece's own
coordinates, so the transform of the piece is applied to the ray, never to the mesh.
"""

import numpy as np
from vtkmodules.vtkCommonCore import vtkIdList, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellLocator, vtkPolyData

from terrain_desktop.scene import vtk_classes as vtk

#: The ray starts this high above the table (mm): above any piece of terrain.
RAY_TOP = 10_000.0


class SurfaceProbe:
    def __init__(self) -> None:
        self._locators: dict[int, tuple[vtkPolyData, vtkCellLocator]] = {}

    def _locator(self, mesh: vtkPolyData) -> vtkCellLocator:
        key = id(mesh)
        cached = self._locators.get(key)
        if cached is None or cached[0] is not mesh:
            locator = vtkCellLocator()
            locator.SetDataSet(mesh)
            locator.BuildLocator()
            cached = (mesh, locator)
            self._locators[key] = cached
        return cached[1]

    def height(self, x: float, y: float, pieces: list[tuple[vtk.vtkActor, vtkPolyData]]) -> float:
        """The highest surface at x, y among the pieces (each an actor, placing it, and its
        densest mesh, whatever level of detail is drawn), or 0 (the table)."""
        best = 0.0
        for actor, mesh in pieces:
            x0, x1, y0, y1, _, z1 = actor.GetBounds()
            if not (x0 <= x <= x1 and y0 <= y <= y1) or z1 <= best:
                continue
            top = self._top(actor, mesh, x, y)
            if top is not None:
                best = max(best, top)
        return best

    def _top(self, actor: vtk.vtkActor, mesh: vtkPolyData, x: float, y: float) -> float | None:
        if mesh is None or mesh.GetNumberOfCells() == 0:
            return None
        matrix = np.array(
            [[actor.GetMatrix().GetElement(i, j) for j in range(4)] for i in range(4)]
        )
        inverse = np.linalg.inv(matrix)
        start = inverse @ np.array([x, y, RAY_TOP, 1.0])
        end = inverse @ np.array([x, y, -RAY_TOP, 1.0])
        points, cells = vtkPoints(), vtkIdList()
        self._locator(mesh).IntersectWithLine(start[:3], end[:3], 1e-6, points, cells)
        if points.GetNumberOfPoints() == 0:
            return None
        local = np.array([points.GetPoint(i) for i in range(points.GetNumberOfPoints())])
        world = (matrix @ np.c_[local, np.ones(len(local))].T).T
        return float(world[:, 2].max())
