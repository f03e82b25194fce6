"""Everything done to an uploaded model, in one call: measure, the ladder, thumbnail.

The server runs this only inside the sandboxed child (`terrain_meshes.sandbox`). The mesh
work itself is `terrain_meshes.processing`, the same pipeline the desktop's import runs
(vertices merged before any simplification, the level-of-detail ladder, the thumbnail from a
display tier); this adds the header checks and writes the files the worker stores: the whole
mesh, every distinct tier of the ladder (`terrain_meshes.tiers`, previews marked), the
thumbnail, and four views of the full mesh for the catalogue page (`thumbnail.VIEWS`: the
full detail may be looked at by anyone, as pictures).
"""

from dataclasses import dataclass, field
from pathlib import Path

from terrain_meshes import analysis, display, limits, processing, thumbnail

#: File names the pipeline writes into its output directory.
FULL_GLB = "full.glb"
THUMBNAIL_PNG = "thumbnail.png"
THUMBNAIL_MAX_TRIANGLES = processing.THUMBNAIL_TRIANGLES
#: Pixels across each of the catalogue page's views of the full mesh.
VIEW_SIZE = 512


def view_file(name: str) -> str:
    return f"view-{name}.png"


def tier_file(level: int) -> str:
    return f"tier-{level}.glb"


@dataclass(frozen=True)
class TierFile:
    #: Name within the output directory.
    file: str
    triangles: int
    preview: bool
    #: The whole mesh (level 0).
    full: bool


@dataclass(frozen=True)
class Processed:
    units: analysis.Units
    units_detected: bool
    dimensions_mm: tuple[float, float, float]
    triangles: int
    #: Names (within the output directory) of what was written: full, display, thumbnail.
    files: dict[str, str]
    #: The ladder, densest first: the whole mesh, then each distinct display tier.
    tiers: list[TierFile] = field(default_factory=list)


def process_model(
    source: Path,
    filename: str,
    units: analysis.Units | None,
    out_dir: Path,
    bounds: limits.Limits,
    display_max_triangles: int,
) -> Processed:
    """Check `source` from its headers, load and measure it, write GLBs and a thumbnail."""
    limits.declared_triangles(source, analysis.file_type(filename), bounds)
    measured = processing.process(
        source,
        units,
        name=filename,
        max_triangles=bounds.max_triangles,
        top=display_max_triangles,
    )
    written: list[TierFile] = []
    display_file = FULL_GLB
    for level, tier in enumerate(measured.stored_ladder()):
        name = FULL_GLB if tier.full else tier_file(level)
        (out_dir / name).write_bytes(display.to_glb(tier.mesh))
        written.append(TierFile(name, tier.triangles, tier.preview, tier.full))
        if tier.mesh is measured.display:
            display_file = name
    (out_dir / THUMBNAIL_PNG).write_bytes(measured.thumbnail_png)
    files = {"full": FULL_GLB, "display": display_file, "thumbnail": THUMBNAIL_PNG}
    for name, direction in thumbnail.VIEWS.items():  # what the catalogue page shows
        picture = thumbnail.png_bytes(measured.mesh, VIEW_SIZE, view=direction)
        (out_dir / view_file(name)).write_bytes(picture)
        files[f"view-{name}"] = view_file(name)
    return Processed(
        measured.units,
        measured.units_detected,
        measured.dimensions_mm,
        measured.triangles,
        files,
        written,
    )
