"""The ruler in the view: a measured line with its length written beside it, on top of the
scene (in the rotation ring's overlay layer) so no piece hides it."""

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkBillboardTextActor3D

from terrain_desktop.scene import vtk_classes as vtk

RULER_COLOUR = (1.0, 1.0, 1.0)
LIFT_MM = 1.0


class Ruler:
    def __init__(self, overlay: vtk.vtkRenderer) -> None:
        self.overlay = overlay
        self.line = vtk.vtkActor()
        self.line.SetMapper(vtk.vtkPolyDataMapper())
        prop = self.line.GetProperty()
        prop.SetColor(*RULER_COLOUR)
        prop.SetLineWidth(3)
        prop.LightingOff()
        prop.SetRenderPointsAsSpheres(True)
        prop.SetPointSize(9)
        self.label = vtkBillboardTextActor3D()
        text = self.label.GetTextProperty()
        text.SetFontSize(18)
        text.SetBold(True)
        text.SetColor(1, 1, 1)
        text.SetBackgroundColor(0.1, 0.12, 0.15)
        text.SetBackgroundOpacity(0.75)
        text.SetFrame(False)
        text.SetJustificationToCentered()
        self.label.SetDisplayOffset(0, 14)
        for actor in (self.line, self.label):
            actor.PickableOff()
            actor.VisibilityOff()
            overlay.AddActor(actor)
        self.text = ""

    def show(
        self, start: tuple[float, float], end: tuple[float, float] | None, text: str = ""
    ) -> None:
        """A line from start to end (table mm) labelled `text`; only a dot without an end."""
        a = (start[0], start[1], LIFT_MM)
        b = a if end is None else (end[0], end[1], LIFT_MM)
        line = pv.Line(a, b)
        line.verts = [2, 0, 1]  # the ends drawn as dots
        self.line.GetMapper().SetInputData(line)
        self.line.VisibilityOn()
        self.label.SetInput(text)
        self.label.SetPosition((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, LIFT_MM)
        self.label.SetVisibility(bool(text))
        self.text = text

    def hide(self) -> None:
        self.line.VisibilityOff()
        self.label.VisibilityOff()
        self.text = ""
