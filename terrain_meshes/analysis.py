"""Opening a model file, checking it is a usable mesh, and measuring it in millimetres."""

from dataclasses import dataclass
from pathlib import Path

import trimesh

from terrain_meshes import validation
from terrain_meshes.errors import MeshError, MeshProblem
from terrain_meshes.formats import MM_PER_UNIT, SUPPORTED_TYPES, Units, file_type

__all__ = [
    "MM_PER_UNIT",
    "SUPPORTED_TYPES",
    "Analysis",
    "Units",
    "analyse",
    "file_type",
    "guess_units",
    "load",
]

#: A model at least this big, in file units, is in millimetres: terrain for 28-32 mm games is
#: rarely over 15 inches across.
INCH_HEURISTIC_LIMIT = 15.0
#: Below this, in file units, a model is in inches: nothing printed as terrain is under 3 mm
#: across, while 3 inches is a typical piece.
SURELY_INCHES_BELOW = 3.0
#: Thinner than this, a model read as millimetres could not be printed (a 0.4 mm nozzle lays
#: walls of 0.8 mm at least), so a thin, small model was drawn in inches.
PRINTABLE_MM = 0.8


@dataclass(frozen=True)
class Analysis:
    mesh: trimesh.Trimesh
    """The model in millimetres, as loaded (not moved)."""
    units: Units
    units_detected: bool
    """True when the units came from the heuristic rather than from the caller."""
    dimensions_mm: tuple[float, float, float]
    triangles: int


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
        loaded = _read(path, kind)
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


def _read(path: Path, kind: str) -> trimesh.Trimesh | trimesh.Scene:
    if kind == "stl":
        # Straight to a mesh: `load_mesh` wraps it in a scene and copies it out again, which
        # costs more than reading a million-triangle file.
        with path.open("rb") as handle:
            return trimesh.Trimesh(**trimesh.exchange.stl.load_stl(handle), process=False)
    if kind == "glb":
        return trimesh.load(path, file_type=kind, force="mesh", process=False)
    return trimesh.load_mesh(path, file_type=kind, process=False)


def guess_units(mesh: trimesh.Trimesh) -> Units:
    """Millimetres unless the model would be absurd in them.

    STL carries no units and slicers read it as millimetres, so that is the default. Small
    decorations are real (an OpenForge face is 9.9 x 1.0 x 6.7 mm), so smallness alone is not
    enough: only a model under 3 units across, or a small one too thin to print in millimetres
    (a 2 x 2 x 0.25 tile), is taken to be in inches. The import preview shows the result on a
    25 mm grid, so a wrong guess is plain to see.
    """
    extents = sorted(float(v) for v in mesh.extents)
    largest, thinnest = extents[-1], extents[0]
    if largest >= INCH_HEURISTIC_LIMIT:
        return Units.MM
    if largest < SURELY_INCHES_BELOW or thinnest < PRINTABLE_MM:
        return Units.INCH
    return Units.MM


def analyse(path: Path, name: str, units: Units | None, max_triangles: int) -> Analysis:
    """Open `path` (named `name` by its uploader) and measure it in millimetres."""
    mesh = load(path, file_type(name), max_triangles)
    chosen = units or guess_units(mesh)
    mesh.apply_scale(MM_PER_UNIT[chosen])
    x, y, z = validation.check_scaled(mesh)
    return Analysis(mesh, chosen, units is None, (x, y, z), len(mesh.faces))
