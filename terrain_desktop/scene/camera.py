"""A turntable camera: it orbits about a vertical axis and tilts, and never rolls.

The camera is held as a `View` (what it looks at, how far, from which compass bearing and
elevation) and the VTK camera is always rebuilt from that, with the view-up taken in the
vertical plane through the line of sight: the horizon stays level, and since the elevation is
clamped to [MIN_ELEVATION, 90°] the table is never seen upside down or from below.
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from terrain_desktop.scene import vtk_classes as vtk

MIN_ELEVATION = 5.0
MAX_ELEVATION = 90.0
#: Degrees of orbit per pixel dragged.
ORBIT_DEGREES_PER_PX = 0.4
ZOOM_PER_NOTCH = 1.15


@dataclass(frozen=True)
class View:
    focal: tuple[float, float, float]
    distance: float
    azimuth: float
    """Degrees, counter-clockwise from +x, of the camera as seen from the focal point."""
    elevation: float
    parallel: bool = False

    def position(self) -> tuple[float, float, float]:
        a, e = math.radians(self.azimuth), math.radians(self.elevation)
        fx, fy, fz = self.focal
        d = self.distance
        return (
            fx + d * math.cos(e) * math.cos(a),
            fy + d * math.cos(e) * math.sin(a),
            fz + d * math.sin(e),
        )

    def up(self) -> tuple[float, float, float]:
        """Level: in the vertical plane of the line of sight, pointing away from the table."""
        a, e = math.radians(self.azimuth), math.radians(self.elevation)
        return (-math.sin(e) * math.cos(a), -math.sin(e) * math.sin(a), math.cos(e))


def current(camera: vtk.vtkCamera) -> View:
    """The VTK camera as a turntable view (levelled if something else tilted it)."""
    focal = tuple(float(v) for v in camera.GetFocalPoint())
    offset = np.subtract(camera.GetPosition(), focal)
    distance = float(np.linalg.norm(offset)) or 1.0
    elevation = math.degrees(math.asin(max(-1.0, min(1.0, offset[2] / distance))))
    if abs(elevation) > 89.99:  # straight down: the bearing is where the screen's top points
        ux, uy, _ = camera.GetViewUp()
        azimuth = math.degrees(math.atan2(-uy, -ux))
    else:
        azimuth = math.degrees(math.atan2(offset[1], offset[0]))
    return View(focal, distance, azimuth, _clamp(elevation), bool(camera.GetParallelProjection()))  # type: ignore[arg-type]


def apply(camera: vtk.vtkCamera, view: View) -> None:
    camera.SetFocalPoint(*view.focal)
    camera.SetPosition(*view.position())
    camera.SetViewUp(*view.up())
    camera.SetParallelProjection(view.parallel)
    if view.parallel:
        camera.SetParallelScale(view.distance * math.tan(math.radians(camera.GetViewAngle()) / 2))


def orbit(view: View, dx_px: float, dy_px: float) -> View:
    return replace(
        view,
        azimuth=(view.azimuth - dx_px * ORBIT_DEGREES_PER_PX) % 360,
        elevation=_clamp(view.elevation - dy_px * ORBIT_DEGREES_PER_PX),
        parallel=False,
    )


def pan(view: View, dx_world: float, dy_world: float) -> View:
    """Slide along the screen: dx to the right, dy up (in the table's plane when looking down)."""
    a = math.radians(view.azimuth)
    right = (-math.sin(a), math.cos(a))
    up = view.up()
    fx, fy, fz = view.focal
    return replace(
        view,
        focal=(
            fx + right[0] * dx_world + up[0] * dy_world,
            fy + right[1] * dx_world + up[1] * dy_world,
            fz + up[2] * dy_world * 0.0,  # stay at the table's height
        ),
    )


def zoom_towards(view: View, point: tuple[float, float, float], factor: float) -> View:
    """Zoom by `factor` (>1 closer) keeping `point` (the table point under the cursor) under
    the cursor: the focal point moves towards it by the same fraction as the distance."""
    keep = 1 / factor
    focal = tuple(p + (f - p) * keep for f, p in zip(view.focal, point, strict=True))
    return replace(view, focal=focal, distance=view.distance * keep)  # type: ignore[arg-type]


def between(a: View, b: View, t: float) -> View:
    """A view part way from a to b (t in 0..1, eased), turning the short way round."""
    s = t * t * (3 - 2 * t)
    turn = (b.azimuth - a.azimuth + 180) % 360 - 180
    return View(
        focal=tuple(p + (q - p) * s for p, q in zip(a.focal, b.focal, strict=True)),  # type: ignore[arg-type]
        distance=a.distance * (b.distance / a.distance) ** s,
        azimuth=(a.azimuth + turn * s) % 360,
        elevation=a.elevation + (b.elevation - a.elevation) * s,
        parallel=b.parallel if t >= 1 else False,
    )


#: Room left around what is framed, as a fraction of the view (the table's wooden edge, air).
FRAME_MARGIN = 0.06


def framing(
    bounds: tuple[float, float, float, float, float, float],
    view_angle: float,
    azimuth: float,
    elevation: float,
    parallel: bool = False,
    aspect: float = 1.0,
) -> View:
    """A view at this bearing and elevation that fits `bounds` (x0, x1, y0, y1, z0, z1) in a
    view `aspect` (width / height) wide, whatever the box's shape: each corner of the box is
    put in the camera's frame and the camera backs off until the last of them is inside
    both the vertical and the horizontal field of view (a 6 x 4 ft table seen from the
    side, or from the top in a narrow window, is not clipped)."""
    x0, x1, y0, y1, z0, z1 = bounds
    focal = ((x0 + x1) / 2, (y0 + y1) / 2, 0.0)
    elevation = _clamp(elevation)
    probe = View(focal, 1.0, azimuth, elevation, parallel)
    towards = np.subtract(probe.position(), focal)  # unit: from the focal point to the camera
    up = np.array(probe.up())
    right = np.cross(up, towards)
    tan_v = math.tan(math.radians(view_angle) / 2)
    tan_h = tan_v * aspect
    grow = 1.0 + 2 * FRAME_MARGIN
    needed = 0.0
    for corner in ((x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)):
        offset = np.subtract(corner, focal)
        u, v, w = abs(offset @ right) * grow, abs(offset @ up) * grow, float(offset @ towards)
        if parallel:  # the parallel scale is the distance times tan_v (see `apply`)
            needed = max(needed, v / tan_v, u / tan_h)
        else:
            needed = max(needed, w + max(v / tan_v, u / tan_h))
    return View(focal, max(needed, 60.0), azimuth, elevation, parallel)


def _clamp(elevation: float) -> float:
    return max(MIN_ELEVATION, min(MAX_ELEVATION, elevation))
