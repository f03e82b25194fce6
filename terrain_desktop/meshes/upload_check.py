"""Looking at a model before it is uploaded: its size in the units it seems drawn in, its
triangles, and what the artist might want to fix first.

The file is read once (`importer.inspect`, shared with importing); the checks work on that
mesh. Problems are told, not enforced: the server's worker has the last word, and its reason
is shown if it refuses the file.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from terrain_desktop.meshes import importer
from terrain_desktop.meshes.importer import Inspection
from terrain_meshes.analysis import Units
from terrain_meshes.validation import MAX_EXTENT_MM

#: The formats the server takes (`terrain_meshes.analysis.file_type`).
UPLOAD_SUFFIXES = (".stl", ".obj", ".ply", ".3mf", ".glb")
#: A model smaller than this across is likely drawn in other units than assumed.
SMALLEST_PLAUSIBLE_MM = 3.0


@dataclass(frozen=True)
class UploadCheck:
    inspection: Inspection
    #: Problems that do not depend on the units: open edges, broken triangles, winding.
    mesh_problems: tuple[str, ...]

    def problems(self, units: Units) -> list[str]:
        """Everything worth telling, for the model read in `units`."""
        largest = max(self.inspection.size_mm(units))
        found = list(self.mesh_problems)
        if largest > MAX_EXTENT_MM:
            found.insert(
                0,
                f"It is {largest / 1000:,.1f} m across in these units; the server refuses "
                f"models over {MAX_EXTENT_MM / 1000:.0f} m. Check the units.",
            )
        elif largest < SMALLEST_PLAUSIBLE_MM:
            found.insert(0, f"It is only {largest:.2f} mm across in these units.")
        return found


def check(path: Path) -> UploadCheck:
    """Read the file (raises `MeshError` with the reason when it cannot be used) and check it."""
    inspection = importer.inspect(path)
    mesh, whole = inspection.mesh, inspection.whole
    problems: list[str] = []
    dropped = len(mesh.faces) - len(whole.faces)
    if dropped:
        problems.append(f"{dropped:,} degenerate or repeated triangle(s) will be dropped.")
    edges = np.sort(np.asarray(whole.edges), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    open_edges = int((counts == 1).sum())
    if open_edges:
        problems.append(
            f"{open_edges:,} open edge(s): the surface is not closed, which slicers may "
            "not print as meant."
        )
    if not whole.is_winding_consistent:
        problems.append("Some triangles face inwards (inconsistent winding).")
    return UploadCheck(inspection, tuple(problems))
