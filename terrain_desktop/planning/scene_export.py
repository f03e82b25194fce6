"""The whole table as one glTF scene (GLB) for Blender and browser viewers: the mat as a slab
with its colour, and each piece a node named after it, its asset's mesh shared between copies
and painted the asset's colour (a PBR material, as the 3D view paints it).

glTF is Y up and metres are its unit by convention, but Blender and viewers read millimetres
fine as "units"; the scene is kept in millimetres (the size a printer needs) and turned so the
table lies flat (Z up → Y up).
"""

import math

import numpy as np
import trimesh
from trimesh.visual.material import PBRMaterial
from trimesh.visual.texture import TextureVisuals

from terrain_desktop.planning.layout import TableLayout

#: The play mat's colour, as the 3D view draws it (`scene.look.MAT_COLOUR`).
MAT_COLOUR = (86, 108, 74)
MAT_THICKNESS = 2.0
#: Z up (the table's frame) to Y up (glTF's).
Y_UP = trimesh.transformations.rotation_matrix(-math.pi / 2, (1, 0, 0))


def material(name: str, rgb: tuple[int, int, int]) -> PBRMaterial:
    return PBRMaterial(
        name=name,
        baseColorFactor=np.array([*rgb, 255], dtype=np.uint8),
        metallicFactor=0.0,
        roughnessFactor=0.85,
    )


def hex_rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def node_names(table: TableLayout) -> list[str]:
    """Each piece's node name: its asset's name and its number on the table."""
    return [f"{piece.name} {n}" for n, piece in enumerate(table.pieces, start=1)]


def table_scene(table: TableLayout) -> trimesh.Scene:
    scene = trimesh.Scene()
    slab = trimesh.creation.box((table.width, table.depth, MAT_THICKNESS))
    slab.apply_translation((table.width / 2, table.depth / 2, -MAT_THICKNESS / 2))
    slab.visual = TextureVisuals(material=material("Mat", MAT_COLOUR))
    scene.add_geometry(slab, node_name="Table", geom_name="Mat")
    painted: dict[str, trimesh.Trimesh] = {}
    for name, piece in zip(node_names(table), table.pieces, strict=True):
        mesh = painted.get(piece.asset_id)
        if mesh is None:
            mesh = piece.mesh.copy()
            mesh.visual = TextureVisuals(material=material(piece.name, hex_rgb(piece.colour)))
            painted[piece.asset_id] = mesh
        scene.add_geometry(mesh, node_name=name, geom_name=piece.asset_id, transform=piece.matrix())
    scene.apply_transform(Y_UP)
    return scene


def glb_bytes(table: TableLayout) -> bytes:
    data: bytes = table_scene(table).export(file_type="glb")
    return data
