"""The generator on a 6 x 4 ft table: 30 real-size OpenForge pieces, 20 candidates.

Each run draws 20 valid layouts of the kit (footprints from the real meshes, a 32 mm base
between any two pieces, objective markers kept clear), scores each on a sight map of 2-inch
cells at a 30 mm eye, and sorts them: exactly what `terrain-desktop generate` does before it
makes the table. Goal: at most 30 s for the 20 candidates on 2 cores.

    .venv/bin/python benchmarks/generator.py [--runs 3] [--candidates 20] [--symmetric]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import trimesh

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_table import testdata

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.checks import check_table
from terrain_desktop.planning.deployments import deployment
from terrain_desktop.planning.generator import KitItem, Settings, generate
from terrain_desktop.planning.symmetry import Symmetry
from terrain_meshes.display import normalised

KIT = {
    "openforge-kit/cell_wall_1x4.stl": 6,
    "openforge-kit/tudor_wall_1x1.stl": 4,
    "openforge-kit/arched_doorway.stl": 4,
    "openforge-kit/pillar.stl": 4,
    "openforge-kit/GothicArchShrine.stl": 2,
    "openforge-kit/corner_base_3x3.stl": 2,
    "openforge-kit/wall_base_3x2.stl": 2,
    "openforge-kit/gatehouse_door_1.stl": 2,
    "openforge/of_smooth_curved_3x3.stl": 2,
    "openforge/of_low_wall_pool_three_quarter_diagonal.stl": 2,
}


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--candidates", type=int, default=20)
    options.add_argument("--symmetric", action="store_true")
    args = options.parse_args()
    root = testdata()
    items = []
    for name, count in KIT.items():
        mesh = normalised(trimesh.load(root / name, force="mesh"))
        items.append(KitItem(name, Path(name).stem, mesh, count))
    triangles = sum(len(i.mesh.faces) * i.count for i in items)
    width, depth = 72 * MM_PER_INCH, 48 * MM_PER_INCH
    plan = deployment("Dawn of War", width, depth)
    settings = Settings(symmetry=Symmetry.POINT if args.symmetric else None)
    print(f"{sum(i.count for i in items)} pieces, {triangles:,} triangles on the table")
    times = []
    for run in range(args.runs):
        start = time.perf_counter()
        found = generate("bench", width, depth, plan, items, 1, args.candidates, settings)
        times.append(time.perf_counter() - start)
        best = found[0]
        print(
            f"run {run + 1}: {times[-1]:.2f} s; best: candidate {best.number}, "
            f"{len(best.table.pieces)}/{best.wanted} placed, {best.score.as_dict()}"
        )
    assert check_table(found[0].table) == [], "the best candidate fails check"
    print(
        f"median {statistics.median(times):.2f} s for {args.candidates} candidates "
        f"(min {min(times):.2f}, max {max(times):.2f}); load average "
        + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    )


if __name__ == "__main__":
    main()
