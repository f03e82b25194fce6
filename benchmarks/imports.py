"""Importing a 1.1M-triangle STL: the whole desktop import beside `trimesh.load` of the file.

    .venv/bin/python benchmarks/imports.py [--runs 3]

The file is the OpenForge pool tile subdivided four times (1,125,376 triangles), written to a
temporary directory. "ours" is what the app does when a user imports it: `inspect` (read and
check, guess units) then `import_model` (merge vertices, repair, six-tier LOD ladder, display
GLB, thumbnail, store row). The floor is `trimesh.load` of the same file with its default
processing, which merges vertices too. Runs alternate (floor, ours, floor, ours, ...) so the
machine's noise hits both alike; the table gives min and median of each.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import trimesh

from terrain_desktop.meshes import importer
from terrain_desktop.store.local_store import LocalStore
from terrain_meshes.analysis import Units

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.shared_testdata import openforge


def million_triangle_stl(folder: Path) -> Path:
    tile = trimesh.load(openforge("of_low_wall_pool_three_quarter_diagonal.stl"))
    vertices, faces = tile.vertices, tile.faces
    for _ in range(4):
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    path = folder / "pool_1m.stl"
    trimesh.Trimesh(vertices, faces, process=False).export(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = million_triangle_stl(folder)
        store = LocalStore(folder / "store.sqlite")
        importer.import_model(  # warm-up: imports, the EGL context for thumbnails
            store, importer.inspect(source), Units.MM, "warm-up", folder / "warm"
        )
        floor, ours = [], []
        for run in range(args.runs):
            start = time.perf_counter()
            loaded = trimesh.load(source)
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            asset = importer.import_model(
                store, importer.inspect(source), Units.MM, f"run {run}", folder / f"m{run}"
            )
            ours.append(time.perf_counter() - start)
        shown = trimesh.load(asset.mesh_path, force="mesh")
        print(
            f"1 STL of 1,125,376 triangles ({len(loaded.vertices):,} vertices once merged); "
            f"display mesh {len(shown.faces):,} triangles; {args.runs} runs\n"
        )
        print(f"{'':44}{'min s':>8}{'median s':>10}")
        for label, samples in (
            ("floor: trimesh.load (merges vertices)", floor),
            ("ours: inspect + import_model", ours),
        ):
            print(f"{label:44}{min(samples):8.2f}{statistics.median(samples):10.2f}")
        ratio = statistics.median(ours) / statistics.median(floor)
        print(f"\nours / floor (median): {ratio:.2f}x  (goal <= 2x)")
        store.close()


if __name__ == "__main__":
    main()
