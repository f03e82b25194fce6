"""How the table looks: lights, antialiasing, the play mat with its grid, materials.

Chosen for a software renderer (benchmarks/RESULTS.md): FXAA instead of multisampling (a fraction of
the cost), a light kit (a soft key, fill and back light that follow the camera) instead of
image-based lighting, and the grid drawn into the mat's texture: mipmaps and anisotropic
filtering blend far lines into the mat, so the grid fades with distance and does not shimmer,
and it costs nothing per frame over a plain surface. Shadows are optional (a shadow-map pass:
see benchmarks/look.py for what they cost).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvista as pv

from terrain_desktop.scene import vtk_classes as vtk

MAT_COLOUR = (86, 108, 74)
GRID_LINE = (150, 170, 130)
WOOD_COLOUR = "#5a4030"
BACKGROUND = ("#1d2126", "#414b57")
TEXTURE_PX = 256
#: The wooden table shows this far beyond the play area, and the mat lies this high above it.
RIM_MM = 14.0
TABLE_THICKNESS = 18.0


@dataclass(frozen=True)
class Material:
    ambient: float = 0.12
    diffuse: float = 0.85
    specular: float = 0.08
    specular_power: float = 12.0


#: By asset category: stone and earth matte, wood a little sheen, metal a clear highlight.
MATERIALS = {
    "hills": Material(specular=0.03),
    "rocks": Material(specular=0.06, specular_power=8),
    "forest": Material(specular=0.02),
    "ruins": Material(specular=0.05),
    "scatter": Material(specular=0.15, specular_power=18),
    "buildings": Material(specular=0.1),
    "containers": Material(specular=0.35, specular_power=30),
}
DEFAULT_MATERIAL = Material()


def apply_material(prop: vtk.vtkProperty, category: str) -> None:
    material = MATERIALS.get(category, DEFAULT_MATERIAL)
    prop.SetInterpolationToPhong()
    prop.SetAmbient(material.ambient)
    prop.SetDiffuse(material.diffuse)
    prop.SetSpecular(material.specular)
    prop.SetSpecularPower(material.specular_power)


def stage(plotter: pv.BasePlotter) -> None:
    """Background, light kit and FXAA on a plotter (window or off-screen alike)."""
    plotter.set_background(BACKGROUND[0], top=BACKGROUND[1])
    plotter.enable_lightkit()
    plotter.renderer.UseFXAAOn()


def set_shadows(plotter: pv.BasePlotter, on: bool) -> None:
    renderer = plotter.renderer
    if on and not renderer.GetUseShadows():
        plotter.enable_shadows()
    elif not on and renderer.GetUseShadows():
        plotter.disable_shadows()


def mat_texture(seed: int = 7) -> vtk.vtkTexture:
    """One grid square of the play mat: a faint mottle with a line along two edges."""
    rng = np.random.default_rng(seed)
    n = TEXTURE_PX
    coarse = rng.normal(0.0, 1.0, (n // 16, n // 16))
    mottle = np.kron(coarse, np.ones((16, 16)))
    mottle = (np.roll(mottle, 8, 0) + mottle + np.roll(mottle, 8, 1)) / 3
    fine = rng.normal(0.0, 1.0, (n, n))
    shade = 1.0 + 0.035 * mottle + 0.02 * fine
    image = np.empty((n, n, 3), dtype=np.float32)
    for channel in range(3):
        image[..., channel] = MAT_COLOUR[channel] * shade
    line = np.zeros((n, n), dtype=np.float32)
    line[:2, :] = line[-2:, :] = 0.8  # the line straddles the square's edge: half on each side
    line[:, :2] = line[:, -2:] = 0.8
    for channel in range(3):
        image[..., channel] = image[..., channel] * (1 - line) + GRID_LINE[channel] * line
    texture: vtk.vtkTexture = pv.Texture(np.clip(image, 0, 255).astype(np.uint8))
    texture.SetRepeat(True)
    texture.SetInterpolate(True)
    texture.SetMipmap(True)
    texture.SetMaximumAnisotropicFiltering(16)
    return texture


def mat_surface(width: float, depth: float, grid: float) -> pv.PolyData:
    """The play area as two triangles, textured so one texture square is one grid square."""
    points = np.array([(0, 0, 0), (width, 0, 0), (width, depth, 0), (0, depth, 0)], float)
    mat = pv.PolyData(points, faces=[4, 0, 1, 2, 3])
    step = grid if grid > 0 else max(width, depth)
    mat.active_texture_coordinates = np.array(
        [(0, 0), (width / step, 0), (width / step, depth / step), (0, depth / step)], float
    )
    return mat


def table_slab(width: float, depth: float) -> pv.PolyData:
    return pv.Box(bounds=(-RIM_MM, width + RIM_MM, -RIM_MM, depth + RIM_MM, -TABLE_THICKNESS, -0.6))


def add_table(plotter: pv.BasePlotter, width: float, depth: float, grid: float) -> list[Any]:
    """The wooden table and the mat on it; returns the actors (to remove them later)."""
    slab = plotter.add_mesh(
        table_slab(width, depth),
        color=WOOD_COLOUR,
        pickable=False,
        render=False,
        specular=0.2,
        specular_power=20,
        smooth_shading=False,
    )
    mat = plotter.add_mesh(
        mat_surface(width, depth, grid),
        texture=mat_texture(),
        pickable=False,
        render=False,
        ambient=0.2,
        diffuse=0.85,
        specular=0.0,
    )
    return [slab, mat]
