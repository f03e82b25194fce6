"""The one way a model file becomes something to show: the server's upload processing and the
desktop's import both call `process` (or `process_loaded` on a mesh they already loaded).

Load once, scale to millimetres, make the surface whole (`repair.whole`), stand it on the
origin, build the level-of-detail ladder (`lod.ladder`) and render the thumbnail from a display
tier. Nothing here decimates a mesh whose vertices were not merged first.
"""

from dataclasses import dataclass
from pathlib import Path

import trimesh

from terrain_meshes import analysis, display, lod, repair, thumbnail, validation
from terrain_meshes.tiers import Tier, budgets_for, stored_ladder

#: The thumbnail is rendered from the first tier at or under this many triangles: at 256 px a
#: denser mesh adds nothing but time.
THUMBNAIL_TRIANGLES = 20_000

#: Files with more triangles than this are refused (the server has its own, configurable).
MAX_TRIANGLES = 5_000_000


@dataclass(frozen=True)
class Result:
    units: analysis.Units
    units_detected: bool
    """True when the units came from the size heuristic rather than from the caller."""
    dimensions_mm: tuple[float, float, float]
    triangles: int
    """Of the file as loaded, before any repair."""
    mesh: trimesh.Trimesh
    """Whole, in millimetres, footprint centred on the origin, standing on z = 0."""
    tiers: tuple[trimesh.Trimesh, ...]
    """Display tiers, densest first, each within its budget in `lod.LADDER` (or the caller's)."""
    thumbnail_png: bytes

    @property
    def display(self) -> trimesh.Trimesh:
        return self.tiers[0]

    def display_glb(self) -> bytes:
        return display.to_glb(self.display)

    def full_glb(self) -> bytes:
        return display.to_glb(self.mesh)

    def stored_ladder(self) -> list[Tier]:
        """The whole mesh and every distinct display tier, densest first, previews marked."""
        return stored_ladder(self.mesh, self.tiers, self.triangles)


def process(
    path: Path,
    units: analysis.Units | None = None,
    *,
    name: str | None = None,
    max_triangles: int = MAX_TRIANGLES,
    budgets: tuple[int, ...] | None = None,
    top: int = lod.LADDER[0],
) -> Result:
    """Load `path` (named `name` by its uploader, else by its own name) and process it."""
    loaded = analysis.load(path, analysis.file_type(name or path.name), max_triangles)
    return process_loaded(loaded, units, budgets=budgets, top=top)


def process_loaded(
    loaded: trimesh.Trimesh,
    units: analysis.Units | None = None,
    *,
    budgets: tuple[int, ...] | None = None,
    top: int = lod.LADDER[0],
) -> Result:
    """Process a mesh already loaded by `analysis.load` (in the file's units)."""
    return process_whole(repair.whole(loaded), len(loaded.faces), units, budgets=budgets, top=top)


def process_whole(
    whole: trimesh.Trimesh,
    triangles: int,
    units: analysis.Units | None = None,
    *,
    budgets: tuple[int, ...] | None = None,
    top: int = lod.LADDER[0],
) -> Result:
    """Process a mesh `repair.whole` made of a file of `triangles` triangles (in the file's
    units), so a caller that already merged it (the desktop's import, to show a preview) does
    not pay for that twice. Takes ownership of `whole`: it is scaled and moved in place.

    Without `budgets`, the ladder is `terrain_meshes.tiers.budgets_for` the model under `top`
    (the server's and the desktop's import alike): `lod.LADDER` plus a preview budget."""
    chosen = units or analysis.guess_units(whole)
    whole.apply_scale(analysis.MM_PER_UNIT[chosen])
    x, y, z = validation.check_scaled(whole)
    mesh = display.normalised(whole, copy=False)
    if budgets is None:
        budgets = budgets_for(min(triangles, len(mesh.faces)), top)
    ladder = tuple(lod.ladder(mesh, budgets))
    shown = next((t for t in ladder if len(t.faces) <= THUMBNAIL_TRIANGLES), ladder[-1])
    png = thumbnail.png_bytes(shown, bounds=mesh.bounds)
    return Result(chosen, units is None, (x, y, z), triangles, mesh, ladder, png)
