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
#: The hatch's period on the box (one dark and one light stripe), in millimetres.
HATCH_MM = 24.0


def mesh_missing(asset: LibraryAsset) -> bool:
    return not asset.mesh_path.is_file()


def box(size_mm: tuple[float, float, float]) -> pv.PolyData:
    """The asset's bounding box as display meshes stand: footprint centred, base at z = 0;
    the hatch repeats every `HATCH_MM` on every face, whatever the box's size."""
    width, depth, height = (max(float(v), 1.0) for v in size_mm)
    made = pv.Cube(
        center=(0, 0, height / 2), x_length=width, y_length=depth, z_length=height, clean=False
    )
    points = np.asarray(made.points)
    normals = np.asarray(made.point_data["Normals"])
    across = np.abs(normals).argmax(axis=1)  # the axis each face looks along
    u = np.where(across == 0, points[:, 1], points[:, 0])
    v = np.where(across == 2, points[:, 1], points[:, 2])
    made.active_texture_coordinates = np.column_stack([u, v]) / HATCH_MM
    return made


@lru_cache(maxsize=1)
def hatch() -> pv.Texture:
    """Diagonal stripes on white: the look of "not here yet"."""
    n = 128
    y, x = np.mgrid[0:n, 0:n]
    light = ((x + y) // (n // 2)) % 2 == 0
    image = np.empty((n, n, 3), dtype=np.uint8)
    image[light] = HATCH_COLOUR
    image[~light] = (60, 60, 60)
    texture = pv.Texture(image)
    texture.repeat = True
    texture.interpolate = True
    texture.mipmap = True  # no moiré where the box is seen edge-on
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
