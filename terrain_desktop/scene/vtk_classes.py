"""The VTK classes the scene uses, imported from their own modules.

`import vtk` loads every VTK module (over a second at start-up on this project's machines);
these are a few of those pyvista loads anyway.
"""

from vtkmodules.vtkCommonCore import vtkCommand, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkCamera,
    vtkCellPicker,
    vtkLight,
    vtkPolyDataMapper,
    vtkProperty,
    vtkRenderer,
    vtkTexture,
)

__all__ = [
    "vtkActor",
    "vtkCamera",
    "vtkCellPicker",
    "vtkCommand",
    "vtkLight",
    "vtkPoints",
    "vtkPolyData",
    "vtkPolyDataMapper",
    "vtkProperty",
    "vtkRenderer",
    "vtkTexture",
]
