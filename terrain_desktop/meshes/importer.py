"""Importing a local model file into the user's own library.

Two steps, so the user can confirm the units: `inspect` reads the file and guesses them;
`import_model` runs the shared pipeline (`terrain_meshes.processing`) on the mesh `inspect`
loaded, so a file is read once per import, and stores the display mesh and the thumbnail.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.meshes.local_assets import local_asset
from terrain_desktop.store.local_store import LocalStore
from terrain_meshes import analysis, lod, processing, repair

#: Display meshes of imported models keep at most this many triangles (the ladder's top).
DISPLAY_TRIANGLES = lod.LADDER[0]
MAX_TRIANGLES = processing.MAX_TRIANGLES
PREVIEW_TRIANGLES = 20_000
#: File-name prefixes that name a maker or a kit, not the piece.
MAKER_PREFIXES = frozenset({"of"})


@dataclass(frozen=True)
class Inspection:
    path: Path
    name: str
    guessed_units: analysis.Units
    extents: tuple[float, float, float]
    """In the file's own units."""
    triangles: int
    mesh: trimesh.Trimesh = field(repr=False, compare=False)
    """As loaded, in the file's units."""
    whole: trimesh.Trimesh = field(repr=False, compare=False)
    """`mesh` made whole (`repair.whole`), once: the preview is made from it, and
    `import_model` works on a copy instead of reading and merging again."""
    preview: tuple[np.ndarray, np.ndarray] | None = None
    """A light copy to show (vertices in the file's units, moved to stand at the origin, and
    triangles), so the dialog can draw it at the chosen scale."""

    def size_mm(self, units: analysis.Units) -> tuple[float, float, float]:
        factor = analysis.MM_PER_UNIT[units]
        x, y, z = self.extents
        return x * factor, y * factor, z * factor


def inspect(path: Path) -> Inspection:
    """Open and check the file (raises `MeshError` with a reason when it is unusable)."""
    mesh = analysis.load(path, analysis.file_type(path.name), MAX_TRIANGLES)
    x, y, z = (float(v) for v in np.asarray(mesh.extents))
    name = tidy_name(path.stem)
    whole = repair.whole(mesh)
    light = lod.reduced(whole, PREVIEW_TRIANGLES) if len(whole.faces) > PREVIEW_TRIANGLES else whole
    vertices = np.asarray(light.vertices, dtype=np.float32)
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    vertices = vertices - np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, low[2]])
    preview = (vertices, np.asarray(light.faces, dtype=np.int64))
    return Inspection(
        path=path,
        name=name,
        guessed_units=analysis.guess_units(mesh),
        extents=(x, y, z),
        triangles=len(mesh.faces),
        mesh=mesh,
        whole=whole,
        preview=preview,
    )


def tidy_name(stem: str) -> str:
    """A readable name from a file name: "of_face_25" -> "Face 25". Separators become
    spaces, and a known maker's prefix (OpenForge's "of_") is dropped when words follow."""
    words = re.sub(r"[_\-.]+", " ", stem).split()
    if len(words) > 1 and words[0].casefold() in MAKER_PREFIXES:
        words = words[1:]
    name = " ".join(words)
    return name[:1].upper() + name[1:] if name else "Imported model"


def import_model(
    store: LocalStore, inspection: Inspection, units: analysis.Units, name: str, folder: Path
) -> LibraryAsset:
    measured = processing.process_whole(inspection.whole.copy(), inspection.triangles, units)
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
