"""The model being imported, drawn in 3D at the chosen units on a 25 mm grid.

A wrong units guess is then plain to see: a 10 mm face drawn as 254 mm covers ten squares.
The view is a small pyvistaqt widget with no idle redraw and no multisampling, like the main
view; it renders when the units change.
"""

import numpy as np
import pyvista as pv
from pyvistaqt import QtInteractor

from terrain_desktop.scene import look
from terrain_desktop.ui.qt import QWidget

GRID_MM = 25.0
MODEL_COLOUR = "#c9b08a"


class ImportPreview(QtInteractor):
    def __init__(
        self, vertices: np.ndarray, triangles: np.ndarray, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, auto_update=False, multi_samples=0)
        self.setMinimumSize(360, 280)
        look.stage(self)
        self._actors: list[object] = []
        self.set_model(vertices, triangles)

    def set_model(self, vertices: np.ndarray, triangles: np.ndarray) -> None:
        """Another model (the catalogue's detail view reuses one preview); `show_at` draws it."""
        faces = np.hstack([np.full((len(triangles), 1), 3), triangles]).ravel()
        self._model = pv.PolyData(np.asarray(vertices, dtype=np.float32), faces)

    def show_at(self, factor: float) -> None:
        """The model scaled by `factor` (mm per file unit), on a grid of 25 mm squares."""
        for actor in self._actors:
            self.remove_actor(actor, render=False)
        model = self._model.scale(factor, inplace=False)
        x0, x1, y0, y1, _, z1 = model.bounds
        half = max(x1 - x0, y1 - y0, GRID_MM * 2) / 2 + GRID_MM
        side = np.ceil(half / GRID_MM) * GRID_MM
        mat = look.mat_surface(2 * side, 2 * side, GRID_MM).translate((-side, -side, 0))
        self._actors = [
            self.add_mesh(mat, texture=look.mat_texture(), ambient=0.25, render=False),
            self.add_mesh(
                model.compute_normals(split_vertices=True, feature_angle=40),
                color=MODEL_COLOUR,
                specular=0.1,
                render=False,
            ),
        ]
        reach = max(side, z1)
        self.camera_position = [(reach * 1.4, -reach * 1.9, reach * 1.5), (0, 0, z1 / 3), (0, 0, 1)]
        self.reset_camera_clipping_range()
        self.render()
