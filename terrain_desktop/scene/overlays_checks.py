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
#: The marks are drawn in square tiles of the table this many mm a side (a ring in the tile
#: where it starts, a ball in the one under it): on a 6 x 4 ft table, some 60 of them, so a
#: changed mark makes the view draw a few pieces' worth again.
TILE = 200.0


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
    """The marks, in tiles of the table (`TILE`): when the checks' answer changes the marks
    of a few pieces (a move on a crowded table), only their tiles' actors are replaced, and
    the view draws again only where those stand (`scene/moving_layer.py`), not the table."""

    def __init__(self, plotter: pv.BasePlotter) -> None:
        self.plotter = plotter
        #: Each tile's rings and balls, and its actors.
        self._tiles: dict[tuple[int, int], tuple[Any, list[Any]]] = {}
        self.marked: list[tuple[float, float, float]] = []
        """Where the balls stand (x, y, z), for tests and screenshots."""

    def clear(self) -> None:
        for _, actors in self._tiles.values():
            for actor in actors:
                self.plotter.remove_actor(actor, render=False)
        self._tiles = {}
        self.marked = []

    def show(
        self,
        outlines: Sequence[Sequence[tuple[float, float]]],
        balls: Sequence[tuple[float, float, float]],
    ) -> None:
        """`outlines`: closed rings on the table; `balls`: a point above each marked piece."""
        tiles: dict[tuple[int, int], tuple[list[Any], list[tuple[float, float, float]]]] = {}
        for ring in outlines:
            if len(ring):
                tiles.setdefault(_tile(*ring[0][:2]), ([], []))[0].append(ring)
        for ball in balls:
            tiles.setdefault(_tile(*ball[:2]), ([], []))[1].append(ball)
        for key in list(self._tiles):
            if key not in tiles or self._tiles[key][0] != tiles[key]:
                for actor in self._tiles.pop(key)[1]:
                    self.plotter.remove_actor(actor, render=False)
        for key, content in tiles.items():
            if key not in self._tiles:
                self._tiles[key] = (content, self._actors(*content))
        self.marked = list(balls)

    def _actors(
        self,
        outlines: Sequence[Sequence[tuple[float, float]]],
        balls: Sequence[tuple[float, float, float]],
    ) -> list[Any]:
        actors = []
        lines = outline_mesh(outlines)
        if lines is not None:
            actors.append(
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
            actors.append(
                self.plotter.add_mesh(spheres, color=MARK_COLOUR, pickable=False, render=False)
            )
        return actors


def _tile(x: float, y: float) -> tuple[int, int]:
    return int(x // TILE), int(y // TILE)
