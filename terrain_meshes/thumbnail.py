"""Thumbnails rendered off-screen with VTK (EGL when there is no display)."""

import io
import os
from pathlib import Path

import numpy as np
import trimesh

TERRAIN_COLOUR = "#b59f7e"
BACKGROUND = "#eef0f2"
#: The thumbnail's view: from the front right, above.
THUMBNAIL_VIEW = (1.0, -1.2, 0.9)
#: The catalogue page's views of the full mesh (name: direction towards the camera).
VIEWS: dict[str, tuple[float, float, float]] = {
    "front": (0.35, -1.0, 0.6),
    "back": (-0.35, 1.0, 0.6),
    "side": (1.0, 0.25, 0.5),
    "top": (0.0, -0.01, 1.0),
}


def image(
    mesh: trimesh.Trimesh,
    size: int = 256,
    colour: str = TERRAIN_COLOUR,
    bounds: np.ndarray | None = None,
    view: tuple[float, float, float] = THUMBNAIL_VIEW,
) -> np.ndarray:
    """A `size`-pixel square RGB image of the mesh seen from above at an angle.

    The camera is framed on `bounds` (default: the mesh's own), so a simplified tier and the
    full model framed on the same bounds can be compared pixel for pixel.
    """
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
        plotter.view_vector(view, viewup=(0, 1, 0) if view[:2] == (0.0, -0.01) else (0, 0, 1))
        framed = np.asarray(mesh.bounds if bounds is None else bounds, dtype=float)
        plotter.reset_camera(bounds=tuple(framed.T.ravel()))
        plotter.camera.zoom(1.15)
        picture: np.ndarray = np.asarray(plotter.screenshot(return_img=True))[..., :3]
        return picture
    finally:
        plotter.close()


def png_bytes(
    mesh: trimesh.Trimesh,
    size: int = 256,
    colour: str = TERRAIN_COLOUR,
    bounds: np.ndarray | None = None,
    view: tuple[float, float, float] = THUMBNAIL_VIEW,
) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image(mesh, size, colour, bounds, view)).save(buffer, format="PNG")
    return buffer.getvalue()


def render_png(
    mesh: trimesh.Trimesh, out: Path, size: int = 256, colour: str = TERRAIN_COLOUR
) -> None:
    """Write a `size`-pixel square PNG of the mesh seen from above at an angle."""
    out.write_bytes(png_bytes(mesh, size, colour))


def coverage(picture: np.ndarray) -> np.ndarray:
    """Which pixels of a thumbnail show the model (anything but the background colour)."""
    value = BACKGROUND.lstrip("#")
    background = np.array([int(value[i : i + 2], 16) for i in (0, 2, 4)])
    difference = np.abs(picture[..., :3].astype(int) - background).max(axis=2)
    return np.asarray(difference > 6)
