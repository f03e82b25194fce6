"""The VTK classes the scene uses, imported from their own modules.

`import vtk` loads every VTK module (over a second at start-up on this project's machines);
these are a few of those pyvista loads anyway.
"""

from vtkmodules.vtkCommonCore import VTK_UNSIGNED_CHAR, vtkCommand, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData, vtkRecti
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkCamera,
    vtkCellPicker,
    vtkLight,
    vtkPolyDataMapper,
    vtkPropAssembly,
    vtkProperty,
    vtkRenderer,
    vtkTexture,
)
from vtkmodules.vtkRenderingOpenGL2 import vtkOpenGLFramebufferObject

__all__ = [
    "VTK_UNSIGNED_CHAR",
    "vtkActor",
    "vtkCamera",
    "vtkCellPicker",
    "vtkCommand",
    "vtkLight",
    "vtkOpenGLFramebufferObject",
    "vtkPoints",
    "vtkPolyData",
    "vtkPolyDataMapper",
    "vtkPropAssembly",
    "vtkProperty",
    "vtkRecti",
    "vtkRenderer",
    "vtkTexture",
]
