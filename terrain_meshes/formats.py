"""What a model file may be (its type by suffix) and the units it may be drawn in.

Kept apart from `analysis` (which loads meshes with trimesh and numpy) so that the API process
can check an upload's name and units without importing the mesh stack: the API image of the
deployment does not install it, only the worker's does.
"""

from enum import StrEnum
from pathlib import Path

from terrain_meshes.errors import MeshError, MeshProblem

#: File types we accept, by suffix, and the trimesh loader for each.
SUPPORTED_TYPES = {".stl": "stl", ".obj": "obj", ".ply": "ply", ".3mf": "3mf", ".glb": "glb"}


class Units(StrEnum):
    MM = "mm"
    CM = "cm"
    INCH = "inch"


MM_PER_UNIT = {Units.MM: 1.0, Units.CM: 10.0, Units.INCH: 25.4}


def file_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_TYPES:
        accepted = ", ".join(s.lstrip(".").upper() for s in SUPPORTED_TYPES)
        raise MeshError(
            MeshProblem.UNSUPPORTED_TYPE,
            f"Unsupported file type {suffix or '(none)'}: use {accepted}.",
        )
    return SUPPORTED_TYPES[suffix]
