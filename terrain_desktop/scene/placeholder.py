"""What stands in for a piece whose mesh is not on this device yet: a see-through box of the
asset's size, hatched, so nobody mistakes it for the model. The view swaps the real mesh in
when it arrives (`TableScene.refill`)."""

from functools import lru_cache

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from terrain_desktop.domain.catalogue import LibraryAsset

OPACITY = 0.45
HATCH_COLOUR = (230, 230, 230)
#: Stripes across each face of the box (the texture repeats once per face).
STRIPES = 6


def mesh_missing(asset: LibraryAsset) -> bool:
    return not asset.mesh_path.is_file()


def box(size_mm: tuple[float, float, float]) -> pv.PolyData:
    """The asset's bounding box as display meshes stand: footprint centred, base at z = 0."""
    width, depth, height = (max(float(v), 1.0) for v in size_mm)
    return pv.Cube(center=(0, 0, height / 2), x_length=width, y_length=depth, z_length=height)


@lru_cache(maxsize=1)
def hatch() -> pv.Texture:
    """Diagonal stripes on white: the look of "not here yet"."""
    n = 64
    y, x = np.mgrid[0:n, 0:n]
    dark = ((x + y) // (n // (2 * STRIPES))) % 2 == 0
    image = np.full((n, n, 3), 255, dtype=np.uint8)
    image[dark] = HATCH_COLOUR
    image[~dark] = (90, 90, 90)
    texture = pv.Texture(image)
    texture.repeat = True
    return texture


def mapper(asset: LibraryAsset) -> vtkPolyDataMapper:
    made = vtkPolyDataMapper()
    made.SetInputData(box(asset.size_mm))
    made.ScalarVisibilityOff()
    return made


def dress(actor: vtkActor) -> None:
    """See-through and hatched, edges drawn."""
    actor.SetTexture(hatch())
    prop = actor.GetProperty()
    prop.SetOpacity(OPACITY)
    prop.EdgeVisibilityOn()
    prop.SetEdgeColor(0.15, 0.15, 0.15)
    prop.SetLineWidth(1.5)
