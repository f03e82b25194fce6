"""How far a simplified tier is from the model it stands for: measured, not assumed.

Three measures, each something a user would notice on the table:
- the footprint (the area the piece covers seen from above): a tier that loses it shows a
  piece with holes or a shrunken base;
- the silhouettes from the front and the side: walls and towers that thin out or vanish;
- the symmetric surface distance: how far each surface strays from the other, as a fraction
  of the model's size.

Silhouettes are rasterised off-screen with VTK in a parallel projection framed on the
original's bounds, so masks of the original and a tier line up pixel for pixel.
"""

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import trimesh

from terrain_meshes.lod import as_polydata

#: View directions: from above (the footprint), the front and the side.
VIEWS = {"top": (0.0, 0.0, 1.0), "front": (0.0, -1.0, 0.0), "side": (1.0, 0.0, 0.0)}


@dataclass(frozen=True)
class Comparison:
    footprint_ratio: float
    """Tier footprint area / original footprint area."""
    silhouette_ratio: dict[str, float]
    """Per view: tier silhouette area / original silhouette area."""
    silhouette_iou: dict[str, float]
    """Per view: pixels covered by both / pixels covered by either."""
    mean_distance: float
    """Symmetric mean surface distance, as a fraction of the original's bounding diagonal."""


class Reference:
    """An original model, its silhouettes rendered once, to compare tiers against. Holds one
    off-screen render window until `close` (or the end of a `with` block)."""

    def __init__(self, original: trimesh.Trimesh, pixels: int = 300) -> None:
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
        import pyvista as pv

        self.original = original
        self.bounds = np.asarray(original.bounds, dtype=float)
        self._plotter = pv.Plotter(off_screen=True, window_size=(pixels, pixels))
        self._plotter.set_background("black")
        self._plotter.enable_parallel_projection()
        self._locator: Any = None
        self.masks = self.silhouettes(original)

    def __enter__(self) -> "Reference":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._plotter.close()

    def silhouettes(self, mesh: trimesh.Trimesh) -> dict[str, np.ndarray]:
        """Which pixels the mesh covers in each view, framed on the original's bounds."""
        plotter = self._plotter
        actor = plotter.add_mesh(as_polydata(mesh), color="white", lighting=False)
        low, high = self.bounds
        centre = (low + high) / 2
        distance = float(np.linalg.norm(high - low)) * 2 + 1.0
        masks = {}
        try:
            for view, direction in VIEWS.items():
                up = (0.0, 1.0, 0.0) if view == "top" else (0.0, 0.0, 1.0)
                eye = tuple(centre + np.asarray(direction) * distance)
                plotter.camera_position = [eye, tuple(centre), up]
                plotter.camera.parallel_scale = float(np.max(high - low)) * 0.55 + 1e-6
                plotter.camera.clipping_range = (distance * 0.01, distance * 4)
                plotter.ren_win.Render()  # `render()` does nothing off-screen before a `show`
                image = np.asarray(plotter.screenshot(return_img=True))
                masks[view] = image[..., :3].max(axis=2) > 127
        finally:
            plotter.remove_actor(actor)
        return masks

    def compare(self, tier: trimesh.Trimesh, samples: int = 2000) -> Comparison:
        masks = self.silhouettes(tier)
        ious, areas = {}, {}
        for view, original in self.masks.items():
            union = max(1.0, float((original | masks[view]).sum()))
            ious[view] = float((original & masks[view]).sum()) / union
            areas[view] = float(masks[view].sum()) / max(1.0, float(original.sum()))
        if self._locator is None:
            self._locator = _locator(self.original)
        there = _mean_distance(self.original, _locator(tier), samples)
        back = _mean_distance(tier, self._locator, samples)
        diagonal = float(np.linalg.norm(self.original.extents))
        return Comparison(areas["top"], areas, ious, (there + back) / 2 / diagonal)


def compare(original: trimesh.Trimesh, tier: trimesh.Trimesh, pixels: int = 300) -> Comparison:
    with Reference(original, pixels) as reference:
        return reference.compare(tier)


def _locator(mesh: trimesh.Trimesh) -> Any:
    from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator

    locator = vtkStaticCellLocator()
    locator.SetDataSet(as_polydata(mesh))
    locator.BuildLocator()
    return locator


def _mean_distance(source: trimesh.Trimesh, target_locator: Any, samples: int) -> float:
    """Mean distance from points spread over `source` to the surface behind the locator."""
    from vtkmodules.vtkCommonCore import reference

    points, _ = trimesh.sample.sample_surface(source, samples, seed=7)
    closest = [0.0, 0.0, 0.0]
    cell, sub = reference(0), reference(0)
    squared: Any = reference(0.0)
    total = 0.0
    for point in points:
        target_locator.FindClosestPoint(point, closest, cell, sub, squared)
        total += float(squared) ** 0.5
    return total / len(points)
