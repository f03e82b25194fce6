"""The line-of-sight overlay: coloured cells laid just above the table (the heat map, or what
one cell sees), the deployment zones as tinted areas with coloured borders, and a frame on the
cell being looked from. It draws what it is given; the planning tools work the colours out."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyvista as pv

CELLS_HEIGHT = 0.4
ZONES_HEIGHT = 0.8
CELL_OPACITY = 0.8


def _cell_quads(centres: np.ndarray, size: float) -> pv.PolyData:
    half = size / 2
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    points = (centres[:, None, :] + corners[None, :, :]).reshape(-1, 2)
    points3 = np.column_stack([points, np.full(len(points), CELLS_HEIGHT)])
    starts = np.arange(len(centres)) * 4
    faces = np.column_stack([np.full(len(centres), 4), starts, starts + 1, starts + 2, starts + 3])
    return pv.PolyData(points3, faces.ravel())


class SightOverlay:
    def __init__(self, plotter: pv.BasePlotter) -> None:
        self.plotter = plotter
        self._cells: Any = None
        self._zones: list[Any] = []
        self._frame: Any = None

    @property
    def showing(self) -> bool:
        return self._cells is not None

    def show_cells(self, centres: np.ndarray, size: float, colours: np.ndarray) -> None:
        """One quad per cell centre, coloured by `colours` ((N, 3) uint8)."""
        if self._cells is not None:
            self.plotter.remove_actor(self._cells, render=False)
        quads = _cell_quads(centres, size)
        quads.cell_data["colour"] = np.asarray(colours, dtype=np.uint8)
        self._cells = self.plotter.add_mesh(
            quads,
            scalars="colour",
            rgb=True,
            opacity=CELL_OPACITY,
            pickable=False,
            render=False,
            lighting=False,
            show_scalar_bar=False,
        )

    def show_zones(
        self,
        zones: Sequence[Sequence[tuple[float, float]]],
        colours: Sequence[tuple[int, int, int]],
    ) -> None:
        for actor in self._zones:
            self.plotter.remove_actor(actor, render=False)
        self._zones = []
        for ring, (r, g, b) in zip(zones, colours, strict=False):
            points = np.column_stack([np.asarray(ring), np.full(len(ring), ZONES_HEIGHT)])
            face = np.concatenate([[len(points)], np.arange(len(points))])
            area = pv.PolyData(points, face).triangulate()
            colour = (r / 255, g / 255, b / 255)
            self._zones.append(
                self.plotter.add_mesh(
                    area, color=colour, opacity=0.3, pickable=False, render=False, lighting=False
                )
            )
            border = pv.lines_from_points(np.vstack([points, points[:1]]))
            self._zones.append(
                self.plotter.add_mesh(
                    border, color=colour, line_width=3, pickable=False, render=False
                )
            )

    def frame_cell(self, centre: tuple[float, float] | None, size: float) -> None:
        if self._frame is not None:
            self.plotter.remove_actor(self._frame, render=False)
            self._frame = None
        if centre is None:
            return
        x, y = centre
        h = size / 2
        ring = np.array(
            [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h], [x - h, y - h]]
        )
        points = np.column_stack([ring, np.full(len(ring), ZONES_HEIGHT + 0.2)])
        self._frame = self.plotter.add_mesh(
            pv.lines_from_points(points), color="white", line_width=4, pickable=False, render=False
        )

    def clear(self) -> None:
        if self._cells is not None:
            self.plotter.remove_actor(self._cells, render=False)
            self._cells = None
        self.show_zones([], [])
        self.frame_cell(None, 0)
