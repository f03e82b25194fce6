"""Importing a local model file into the user's own library.

Two steps, so the user can confirm the units: `inspect` reads the file and guesses them;
`import_model` runs the shared pipeline (`terrain_meshes.processing`) on the mesh `inspect`
loaded, so a file is read once per import, and stores the display mesh and the thumbnail.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.store.local_store import LocalStore
from terrain_meshes import analysis, lod, processing

#: Display meshes of imported models keep at most this many triangles (the ladder's top).
DISPLAY_TRIANGLES = lod.LADDER[0]
MAX_TRIANGLES = processing.MAX_TRIANGLES
IMPORTED_COLOUR = "#b59f7e"


@dataclass(frozen=True)
class Inspection:
    path: Path
    name: str
    guessed_units: analysis.Units
    extents: tuple[float, float, float]
    """In the file's own units."""
    triangles: int
    mesh: trimesh.Trimesh = field(repr=False, compare=False)
    """As loaded, in the file's units: `import_model` works on a copy instead of reading again."""

    def size_mm(self, units: analysis.Units) -> tuple[float, float, float]:
        factor = analysis.MM_PER_UNIT[units]
        x, y, z = self.extents
        return x * factor, y * factor, z * factor


def inspect(path: Path) -> Inspection:
    """Open and check the file (raises `MeshError` with a reason when it is unusable)."""
    mesh = analysis.load(path, analysis.file_type(path.name), MAX_TRIANGLES)
    x, y, z = (float(v) for v in np.asarray(mesh.extents))
    name = path.stem.replace("_", " ").replace("-", " ").strip() or "Imported model"
    return Inspection(path, name, analysis.guess_units(mesh), (x, y, z), len(mesh.faces), mesh)


def import_model(
    store: LocalStore, inspection: Inspection, units: analysis.Units, name: str, folder: Path
) -> LibraryAsset:
    measured = processing.process_loaded(inspection.mesh.copy(), units)
    digest = hashlib.sha256(inspection.path.read_bytes()).hexdigest()[:20]
    folder.mkdir(parents=True, exist_ok=True)
    mesh_path = folder / f"{digest}-{units.value}.glb"
    thumb_path = folder / f"{digest}-{units.value}.png"
    mesh_path.write_bytes(measured.display_glb())
    thumb_path.write_bytes(measured.thumbnail_png)
    asset_id = str(uuid.uuid4())
    x, y, z = measured.dimensions_mm
    store.add_local_asset(
        id=asset_id,
        name=name,
        category="my models",
        size_x=x,
        size_y=y,
        size_z=z,
        triangles=measured.triangles,
        source_units=units.value,
        mesh_path=str(mesh_path),
        thumbnail_path=str(thumb_path),
    )
    return local_asset(store.local_assets()[-1])


def local_asset(row: dict[str, object]) -> LibraryAsset:
    return LibraryAsset(
        id=str(row["id"]),
        name=str(row["name"]),
        category=str(row["category"]),
        tags=("imported",),
        size_mm=(float(row["size_x"]), float(row["size_y"]), float(row["size_z"])),  # type: ignore[arg-type]
        mesh_path=Path(str(row["mesh_path"])),
        thumbnail_path=Path(str(row["thumbnail_path"])),
        colour=IMPORTED_COLOUR,
        private=True,
    )
