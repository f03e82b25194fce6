"""The rotation ring: a flat ring around the selection, drawn over everything else.

It lives in its own renderer layer (above the moving layer) that shares the scene's camera,
so no piece can hide it, and it is rescaled before every frame to keep the same size on
screen (`SCREEN_RADIUS_PX`) at any zoom. Hits are tested in table coordinates (`hit`), not
by picking.
"""

import math
from collections.abc import Callable

import numpy as np
import pyvista as pv

from terrain_desktop.scene import vtk_classes as vtk

SCREEN_RADIUS_PX = 70.0
#: The ring's band, as fractions of its radius; a hit counts a little either side of it.
INNER, OUTER, SLACK = 0.86, 1.0, 0.12
RING_COLOUR = (1.0, 0.69, 0.0)
KNOB_COLOUR = (1.0, 0.85, 0.4)


def _ring_mesh() -> pv.PolyData:
    band = pv.Disc(inner=INNER, outer=OUTER, r_res=1, c_res=96)
    ticks = [
        pv.Disc(center=(math.cos(a) * 0.93, math.sin(a) * 0.93, 0), inner=0, outer=0.055, c_res=20)
        for a in np.radians([0, 90, 180, 270])
    ]
    return pv.merge([band, *ticks]).triangulate()


class RotationRing:
    def __init__(self, renderer: vtk.vtkRenderer) -> None:
        self.scene_renderer = renderer
        self.overlay = vtk.vtkRenderer()
        self.overlay.SetLayer(2)
        self.overlay.InteractiveOff()
        self.overlay.SetActiveCamera(renderer.GetActiveCamera())
        self.overlay.LightFollowCameraOff()
        self.actor = self._actor(_ring_mesh(), RING_COLOUR, 0.9)
        self.knob = self._actor(pv.Disc(inner=0, outer=0.09, c_res=24), KNOB_COLOUR, 1.0)
        self.centre: tuple[float, float, float] | None = None
        #: The fraction of the window's size the frame being drawn has (below 1.0 while the
        #: view moves: `scene/interactive.py`), so the ring keeps its size on screen.
        self.pixel_scale: Callable[[], float] = lambda: 1.0
        self.angle = 0.0
        self.radius = 1.0
        window = renderer.GetRenderWindow()
        if window is not None:
            self.attach(window)

    def attach(self, window: object) -> None:
        window.SetNumberOfLayers(max(3, window.GetNumberOfLayers()))  # type: ignore[attr-defined]
        window.AddRenderer(self.overlay)  # type: ignore[attr-defined]
        self.scene_renderer.AddObserver(vtk.vtkCommand.StartEvent, lambda *_: self.fit())

    def _actor(
        self, mesh: pv.PolyData, colour: tuple[float, float, float], opacity: float
    ) -> vtk.vtkActor:
        mapper = vtk.vtkPolyDataMapper()
        mapper.SetInputData(mesh)
        actor = vtk.vtkActor()
        actor.SetMapper(mapper)
        actor.PickableOff()
        actor.VisibilityOff()
        prop = actor.GetProperty()
        prop.LightingOff()
        prop.SetColor(*colour)
        prop.SetOpacity(opacity)
        self.overlay.AddActor(actor)
        return actor

    def show(self, centre: tuple[float, float, float] | None, angle: float = 0.0) -> None:
        """Around `centre` (table mm), the knob at `angle` degrees; None hides the ring."""
        self.centre, self.angle = centre, angle
        for actor in (self.actor, self.knob):
            actor.SetVisibility(centre is not None)
        self.fit()

    @property
    def visible(self) -> bool:
        return self.centre is not None

    def fit(self) -> None:
        """Scale to `SCREEN_RADIUS_PX` on screen at the ring's centre, for the current camera."""
        if self.centre is None:
            return
        self.radius = SCREEN_RADIUS_PX * self.world_per_pixel(self.centre)
        x, y, z = self.centre
        self.actor.SetPosition(x, y, z)
        self.actor.SetScale(self.radius, self.radius, 1)
        knob = self.knob_position()
        self.knob.SetPosition(*knob)
        self.knob.SetScale(self.radius, self.radius, 1)

    def knob_position(self) -> tuple[float, float, float]:
        assert self.centre is not None
        x, y, z = self.centre
        a = math.radians(self.angle)
        r = self.radius * (INNER + OUTER) / 2
        return x + r * math.cos(a), y + r * math.sin(a), z + 0.01

    def world_per_pixel(self, at: tuple[float, float, float]) -> float:
        camera = self.scene_renderer.GetActiveCamera()
        height = max(self.scene_renderer.GetSize()[1] / self.pixel_scale(), 1)
        if camera.GetParallelProjection():
            return 2 * camera.GetParallelScale() / height
        distance = float(np.linalg.norm(np.subtract(camera.GetPosition(), at)))
        return 2 * distance * math.tan(math.radians(camera.GetViewAngle()) / 2) / height

    def hit(self, x: float, y: float) -> bool:
        """Whether table point x, y (at the ring's height) is on the ring's band."""
        if self.centre is None:
            return False
        distance = math.hypot(x - self.centre[0], y - self.centre[1]) / self.radius
        return INNER - SLACK <= distance <= OUTER + SLACK
