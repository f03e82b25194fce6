"""Opening a model file, checking it is a usable mesh, and measuring it in millimetres."""

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import trimesh

from terrain_meshes import validation
from terrain_meshes.errors import MeshError, MeshProblem

#: File types we accept, by suffix, and the trimesh loader for each.
SUPPORTED_TYPES = {".stl": "stl", ".obj": "obj", ".ply": "ply", ".3mf": "3mf", ".glb": "glb"}

#: A model whose largest extent is below this, in file units, was very likely drawn in inches:
#: terrain for 28-32 mm games is rarely under 15 mm across, and rarely over 15 inches.
INCH_HEURISTIC_LIMIT = 15.0


class Units(StrEnum):
    MM = "mm"
    CM = "cm"
    INCH = "inch"


MM_PER_UNIT = {Units.MM: 1.0, Units.CM: 10.0, Units.INCH: 25.4}


@dataclass(frozen=True)
class Analysis:
    mesh: trimesh.Trimesh
    """The model in millimetres, as loaded (not moved)."""
    units: Units
    units_detected: bool
    """True when the units came from the heuristic rather than from the caller."""
    dimensions_mm: tuple[float, float, float]
    triangles: int


def file_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_TYPES:
        accepted = ", ".join(s.lstrip(".").upper() for s in SUPPORTED_TYPES)
        raise MeshError(
            MeshProblem.UNSUPPORTED_TYPE,
            f"Unsupported file type {suffix or '(none)'}: use {accepted}.",
        )
    return SUPPORTED_TYPES[suffix]


def _looks_like_stl(path: Path) -> bool:
    """Binary STL declares its size exactly; ASCII STL starts with 'solid'."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(84)
    if size >= 84 and 84 + 50 * int.from_bytes(head[80:84], "little") == size:
        return True
    return head.lstrip().lower().startswith(b"solid")


def load(path: Path, kind: str, max_triangles: int) -> trimesh.Trimesh:
    """Load one mesh (a scene's geometry concatenated), refusing anything unusable."""
    if kind == "stl" and not _looks_like_stl(path):
        raise MeshError(MeshProblem.NOT_A_MESH, "This file is not an STL mesh.")
    try:
        loaded = (
            trimesh.load_mesh(path, file_type=kind, process=False)
            if kind != "glb"
            else (trimesh.load(path, file_type=kind, force="mesh", process=False))
        )
    except Exception as exc:  # trimesh raises many types for malformed files
        raise MeshError(
            MeshProblem.NOT_A_MESH, f"This file could not be read as a {kind.upper()} mesh."
        ) from exc
    if isinstance(loaded, trimesh.Scene):
        geometries = [g for g in loaded.dump() if isinstance(g, trimesh.Trimesh)]
        loaded = trimesh.util.concatenate(geometries) if geometries else trimesh.Trimesh()
    if not isinstance(loaded, trimesh.Trimesh):
        raise MeshError(MeshProblem.NOT_A_MESH, "This file holds no triangle mesh.")
    validation.check_loaded(loaded, max_triangles)
    return loaded


def guess_units(mesh: trimesh.Trimesh) -> Units:
    return Units.INCH if float(np.max(mesh.extents)) < INCH_HEURISTIC_LIMIT else Units.MM


def analyse(path: Path, name: str, units: Units | None, max_triangles: int) -> Analysis:
    """Open `path` (named `name` by its uploader) and measure it in millimetres."""
    mesh = load(path, file_type(name), max_triangles)
    chosen = units or guess_units(mesh)
    mesh.apply_scale(MM_PER_UNIT[chosen])
    x, y, z = validation.check_scaled(mesh)
    return Analysis(mesh, chosen, units is None, (x, y, z), len(mesh.faces))
