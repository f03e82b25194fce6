"""Marks on the pieces a check found something wrong with: a red outline of the piece's
footprint on the table and a red ball above it, visible from the top and in 3D alike.

The marks are two meshes built with numpy in one go (every ring one polyline cell, every ball
a copy of one sphere moved into place): on a crowded table of 1,000 flagged pieces, building
a sphere and a line set per piece and merging them took seconds on the GUI thread each time
the marks changed. A ball is a coarse sphere (192 triangles: round at the few pixels it
covers): at pyvista's default of 1,680 triangles, the balls of a crowded
table of 1,000 flagged pieces were 1.7 million triangles, more than the pieces under them,
and doubled the cost of every full frame on a software renderer.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyvista as pv

MARK_COLOUR = "#e0302b"
OUTLINE_HEIGHT = 1.0
BALL_RADIUS = 8.0
#: Around and from pole to pole: 12 × 10 makes 192 triangles a ball.
BALL_RESOLUTION = (12, 10)


def outline_mesh(outlines: Sequence[Sequence[tuple[float, float]]]) -> pv.PolyData | None:
    """The rings (at least two points each) as one polyline each, just above the table."""
    rings = [np.asarray(ring, dtype=np.float64).reshape(-1, 2) for ring in outlines]
    rings = [ring for ring in rings if len(ring) >= 2]
    if not rings:
        return None
    counts = np.array([len(ring) for ring in rings])
    points = np.column_stack([np.concatenate(rings), np.full(counts.sum(), OUTLINE_HEIGHT)])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cells = np.empty(len(rings) + counts.sum(), dtype=np.int64)
    heads = starts + np.arange(len(rings))  # where each cell's point count goes
    cells[heads] = counts
    body = np.ones(len(cells), dtype=bool)
    body[heads] = False
    cells[body] = np.arange(counts.sum())
    return pv.PolyData(points, lines=cells)


def ball_mesh(balls: Sequence[tuple[float, float, float]]) -> pv.PolyData | None:
    """A ball above each (x, y, top): copies of one sphere, normals included."""
    if not balls:
        return None
    around, across = BALL_RESOLUTION
    sphere = pv.Sphere(radius=BALL_RADIUS, theta_resolution=around, phi_resolution=across)
    centres = np.asarray(balls, dtype=np.float64) + np.array([0.0, 0.0, BALL_RADIUS * 2])
    template = np.asarray(sphere.points, dtype=np.float64)
    points = (centres[:, None, :] + template[None, :, :]).reshape(-1, 3)
    faces = np.asarray(sphere.faces).reshape(-1, 4)
    offsets = np.arange(len(centres))[:, None, None] * len(template)
    tiled = np.broadcast_to(faces, (len(centres), *faces.shape)).copy()
    tiled[:, :, 1:] += offsets
    mesh = pv.PolyData(points, faces=tiled.ravel())
    normals = np.asarray(sphere.point_data["Normals"])
    mesh.point_data["Normals"] = np.tile(normals, (len(centres), 1))
    return mesh


class CheckMarks:
    def __init__(self, plotter: pv.BasePlotter) -> None:
        self.plotter = plotter
        self._actors: list[Any] = []
        self.marked: list[tuple[float, float, float]] = []
        """Where the balls stand (x, y, z), for tests and screenshots."""

    def clear(self) -> None:
        for actor in self._actors:
            self.plotter.remove_actor(actor, render=False)
        self._actors = []
        self.marked = []

    def show(
        self,
        outlines: Sequence[Sequence[tuple[float, float]]],
        balls: Sequence[tuple[float, float, float]],
    ) -> None:
        """`outlines`: closed rings on the table; `balls`: a point above each marked piece."""
        self.clear()
        lines = outline_mesh(outlines)
        if lines is not None:
            self._actors.append(
                self.plotter.add_mesh(
                    lines,
                    color=MARK_COLOUR,
                    line_width=4,
                    pickable=False,
                    render=False,
                    lighting=False,
                )
            )
        spheres = ball_mesh(balls)
        if spheres is not None:
            self._actors.append(
                self.plotter.add_mesh(spheres, color=MARK_COLOUR, pickable=False, render=False)
            )
        self.marked = list(balls)
