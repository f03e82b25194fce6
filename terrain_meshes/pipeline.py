"""Everything done to an uploaded model, in one call: measure, display meshes, thumbnail.

The server runs this only inside the sandboxed child (`terrain_meshes.sandbox`). The mesh
work itself is `terrain_meshes.processing`, the same pipeline the desktop's import runs
(vertices merged before any simplification, the level-of-detail ladder, the thumbnail from a
display tier); this adds the header checks and writes the files the worker stores.
"""

from dataclasses import dataclass
from pathlib import Path

from terrain_meshes import analysis, limits, processing

#: File names the pipeline writes into its output directory.
FULL_GLB = "full.glb"
DISPLAY_GLB = "display.glb"
THUMBNAIL_PNG = "thumbnail.png"
THUMBNAIL_MAX_TRIANGLES = processing.THUMBNAIL_TRIANGLES


@dataclass(frozen=True)
class Processed:
    units: analysis.Units
    units_detected: bool
    dimensions_mm: tuple[float, float, float]
    triangles: int
    #: Names (within the output directory) of what was written; display may equal full.
    files: dict[str, str]


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
        budgets=processing.ladder_under(display_max_triangles),
    )
    (out_dir / FULL_GLB).write_bytes(measured.full_glb())
    files = {"full": FULL_GLB, "display": FULL_GLB}
    if measured.display is not measured.mesh:
        (out_dir / DISPLAY_GLB).write_bytes(measured.display_glb())
        files["display"] = DISPLAY_GLB
    (out_dir / THUMBNAIL_PNG).write_bytes(measured.thumbnail_png)
    files["thumbnail"] = THUMBNAIL_PNG
    return Processed(
        measured.units,
        measured.units_detected,
        measured.dimensions_mm,
        measured.triangles,
        files,
    )
