"""A trimesh mesh as VTK data, for the VTK filters the ladder and its checks use."""

from typing import Any

import numpy as np
import trimesh


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
