"""The table as a Tabletop Simulator saved object: a JSON file of `ObjectStates`, each piece a
`Custom_Model` whose `CustomMesh.MeshURL` is an OBJ file written beside it, on a mat of the
table's size. Put the JSON (and its folder of models) in TTS's Saves/Saved Objects.

Units: one TTS unit is one inch, so the OBJ files are in inches and a piece's scale is its
scale on the table. TTS (Unity) is Y up and left-handed, and reads an OBJ with its X axis
negated, as Unity does; the OBJ files are written the usual way (right-handed, Y up: the
table's x, its height, and minus its y), so a piece is placed at
`posX = -(x - width/2)`, `posZ = -(y - depth/2)` (inches from the table's centre),
`posY = MAT_TOP + z`, turned `rotY = -rotation` (Unity turns clockwise seen from above).
Everything is locked: terrain should not slide when a miniature bumps it.
"""

import json
import math
from pathlib import Path
from typing import Any

import trimesh

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.scene_export import MAT_COLOUR, MAT_THICKNESS, hex_rgb

#: Where the mat's top lies above TTS's origin (inches): just above its standard tables.
MAT_TOP = 1.0
#: OBJ axes from the table's (x, y, z in mm) to the usual right-handed, Y-up inches.
TO_OBJ = trimesh.transformations.rotation_matrix(-math.pi / 2, (1, 0, 0)) @ (
    trimesh.transformations.scale_matrix(1 / MM_PER_INCH)
)
GENERIC, BOARD = 0, 4


def _colour(rgb: tuple[int, int, int]) -> dict[str, float]:
    return {"r": round(rgb[0] / 255, 4), "g": round(rgb[1] / 255, 4), "b": round(rgb[2] / 255, 4)}


def _object(
    name: str,
    obj: Path,
    position: tuple[float, float, float],
    rot_y: float,
    scale: float,
    rgb: tuple[int, int, int],
    kind: int,
    guid: int,
) -> dict[str, Any]:
    return {
        "GUID": f"{guid:06x}",
        "Name": "Custom_Model",
        "Nickname": name,
        "Description": "",
        "Transform": {
            "posX": round(position[0], 5),
            "posY": round(position[1], 5),
            "posZ": round(position[2], 5),
            "rotX": 0.0,
            "rotY": round(rot_y % 360, 4),
            "rotZ": 0.0,
            "scaleX": scale,
            "scaleY": scale,
            "scaleZ": scale,
        },
        "ColorDiffuse": _colour(rgb),
        "Locked": True,
        "Grid": False,
        "Snap": False,
        "CustomMesh": {
            "MeshURL": obj.resolve().as_uri(),
            "DiffuseURL": "",
            "NormalURL": "",
            "ColliderURL": "",
            "Convex": False,
            "MaterialIndex": 0,
            "TypeIndex": kind,
            "CastShadows": True,
        },
    }


def write_tts(table: TableLayout, path: Path) -> int:
    """Writes the saved object and its OBJ files (in `<name>_models/` beside it); returns how
    many pieces it places."""
    models = path.with_name(f"{path.stem}_models")
    models.mkdir(exist_ok=True)
    mat = trimesh.creation.box((table.width, table.depth, MAT_THICKNESS))
    mat.apply_translation((0, 0, -MAT_THICKNESS / 2))
    mat.apply_transform(TO_OBJ)
    mat.export(models / "mat.obj", file_type="obj", include_normals=False)
    mat_y = MAT_TOP - MAT_THICKNESS / 2 / MM_PER_INCH  # the slab's centre, its top at MAT_TOP
    states = [
        _object(
            f"{table.name} (mat)", models / "mat.obj", (0, mat_y, 0), 0, 1.0, MAT_COLOUR, BOARD, 1
        )
    ]
    written: set[str] = set()
    for number, piece in enumerate(table.pieces, start=1):
        obj = models / f"{piece.asset_id}.obj"
        if piece.asset_id not in written:
            mesh = piece.mesh.copy().apply_transform(TO_OBJ)
            mesh.export(obj, file_type="obj", include_normals=False)
            written.add(piece.asset_id)
        position = (
            -(piece.x - table.width / 2) / MM_PER_INCH,
            MAT_TOP + piece.z / MM_PER_INCH,
            -(piece.y - table.depth / 2) / MM_PER_INCH,
        )
        states.append(
            _object(
                f"{piece.name} {number}",
                obj,
                position,
                -piece.rotation,
                piece.scale,
                hex_rgb(piece.colour),
                GENERIC,
                number + 1,
            )
        )
    saved = {
        "SaveName": table.name,
        "GameMode": "",
        "Date": "",
        "Gravity": 0.5,
        "PlayArea": 0.5,
        "Table": "",
        "Sky": "",
        "Note": f"{table.name}: {table.width:g} x {table.depth:g} mm, made in Terrain Builder",
        "Rules": "",
        "XmlUI": "",
        "LuaScript": "",
        "LuaScriptState": "",
        "ObjectStates": states,
        "TabStates": {},
        "VersionNumber": "",
    }
    path.write_text(json.dumps(saved, indent=2))
    return len(table.pieces)
