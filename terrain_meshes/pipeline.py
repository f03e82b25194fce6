"""Everything done to an uploaded model, in one call: measure, display meshes, thumbnail.

The server runs this only inside the sandboxed child (`terrain_meshes.sandbox`); keeping the
whole pipeline behind one function means new steps (a level-of-detail ladder, better
decimation) slot in here without touching the job runner.
"""

from dataclasses import dataclass
from pathlib import Path

from terrain_meshes import analysis, display, limits, thumbnail

#: File names the pipeline writes into its output directory.
FULL_GLB = "full.glb"
DISPLAY_GLB = "display.glb"
THUMBNAIL_PNG = "thumbnail.png"
THUMBNAIL_MAX_TRIANGLES = 20_000


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
    measured = analysis.analyse(source, filename, units, bounds.max_triangles)
    placed = display.normalised(measured.mesh)
    (out_dir / FULL_GLB).write_bytes(display.to_glb(placed))
    files = {"full": FULL_GLB, "display": FULL_GLB}
    light = display.decimated(placed, display_max_triangles)
    if light is not placed:
        (out_dir / DISPLAY_GLB).write_bytes(display.to_glb(light))
        files["display"] = DISPLAY_GLB
    thumbnail.render_png(
        display.decimated(placed, THUMBNAIL_MAX_TRIANGLES), out_dir / THUMBNAIL_PNG
    )
    files["thumbnail"] = THUMBNAIL_PNG
    return Processed(
        measured.units,
        measured.units_detected,
        measured.dimensions_mm,
        measured.triangles,
        files,
    )
