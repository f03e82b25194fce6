"""The edges that met when a piece snapped to its neighbours, lit up over the scene (in the
rotation ring's overlay layer, so no piece hides them) while the piece is dragged."""

from collections.abc import Sequence

import pyvista as pv

from terrain_desktop.scene import vtk_classes as vtk

SNAP_COLOUR = (0.25, 0.95, 0.45)
LIFT_MM = 0.8

Segment = tuple[tuple[float, float], tuple[float, float]]


class SnapMarks:
    def __init__(self, overlay: vtk.vtkRenderer) -> None:
        self.actor = vtk.vtkActor()
        mapper = vtk.vtkPolyDataMapper()
        mapper.ScalarVisibilityOff()  # one colour, whatever arrays the lines carry
        self.actor.SetMapper(mapper)
        prop = self.actor.GetProperty()
        prop.SetColor(*SNAP_COLOUR)
        prop.SetLineWidth(6)
        prop.LightingOff()
        self.actor.PickableOff()
        self.actor.VisibilityOff()
        overlay.AddActor(self.actor)
        #: The segments shown now (table mm), for tests and the status line.
        self.shown: list[Segment] = []

    def show(self, segments: Sequence[Segment], z: float) -> None:
        self.shown = list(segments)
        if not segments:
            self.actor.VisibilityOff()
            return
        lines = [pv.Line((a[0], a[1], z + LIFT_MM), (b[0], b[1], z + LIFT_MM)) for a, b in segments]
        self.actor.GetMapper().SetInputData(pv.merge(lines))
        self.actor.VisibilityOn()

    def hide(self) -> None:
        self.show([], 0.0)
