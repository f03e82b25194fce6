"""Marks on the pieces a check found something wrong with: a red outline of the piece's
footprint on the table and a red ball above it, visible from the top and in 3D alike."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyvista as pv

MARK_COLOUR = "#e0302b"
OUTLINE_HEIGHT = 1.0
BALL_RADIUS = 8.0


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
        lines = [
            pv.lines_from_points(
                np.column_stack([np.asarray(ring), np.full(len(ring), OUTLINE_HEIGHT)])
            )
            for ring in outlines
            if len(ring) >= 2
        ]
        if lines:
            self._actors.append(
                self.plotter.add_mesh(
                    pv.merge(lines),
                    color=MARK_COLOUR,
                    line_width=4,
                    pickable=False,
                    render=False,
                    lighting=False,
                )
            )
        if balls:
            spheres = pv.merge(
                [
                    pv.Sphere(radius=BALL_RADIUS, center=(x, y, z + BALL_RADIUS * 2))
                    for x, y, z in balls
                ]
            )
            self._actors.append(
                self.plotter.add_mesh(spheres, color=MARK_COLOUR, pickable=False, render=False)
            )
        self.marked = list(balls)
