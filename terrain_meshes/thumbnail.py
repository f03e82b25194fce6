"""Thumbnails rendered off-screen with VTK (EGL when there is no display)."""

import os
from pathlib import Path

import numpy as np
import trimesh

TERRAIN_COLOUR = "#b59f7e"
BACKGROUND = "#eef0f2"


def render_png(
    mesh: trimesh.Trimesh, out: Path, size: int = 256, colour: str = TERRAIN_COLOUR
) -> None:
    """Write a `size`-pixel square PNG of the mesh seen from above at an angle."""
    # Without a display VTK would try X first and warn; go straight to EGL.
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    import pyvista as pv

    faces = np.hstack([np.full((len(mesh.faces), 1), 3), mesh.faces]).ravel()
    surface = pv.PolyData(np.asarray(mesh.vertices, dtype=np.float32), faces)
    pv.global_theme.multi_samples = 0  # a thumbnail does not need it; software GL pays 4-5x
    plotter = pv.Plotter(off_screen=True, window_size=(size, size))
    try:
        plotter.add_mesh(
            surface, color=colour, smooth_shading=True, split_sharp_edges=True, specular=0.15
        )
        plotter.set_background(BACKGROUND)
        plotter.enable_parallel_projection()
        plotter.view_vector((1.0, -1.2, 0.9), viewup=(0, 0, 1))
        plotter.reset_camera()
        plotter.camera.zoom(1.15)
        plotter.screenshot(str(out))
    finally:
        plotter.close()
