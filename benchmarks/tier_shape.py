"""Tiers that keep the shape: what measuring and retrying each tier costs, and what it buys.

For every real OpenForge file in the shared test data (the tiles and the kit), on the whole
mesh the pipeline made (`processing.process`), one run builds the stored ladder two ways,
interleaved file by file and repeated `--runs` times:

- **before**: each tier decimated from the one above (`lod.reduced`), previews marked by their
  triangle count alone — the ladder as it was;
- **now**: `lod.ladder` (each tier measured against the model, retried past
  `lod.MAX_DEVIATION`) and `tiers.stored_ladder` (only tiers that keep the shape stored, a
  small model's coarse preview).

It prints the build times (median and range over the runs) and, for each, the largest
deviation of a stored preview and of any stored tier (sampled Hausdorff distance over the
bounding diagonal, `terrain_meshes.deviation`).

    .venv/bin/python benchmarks/tier_shape.py [--runs 3]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import trimesh

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planning_table import testdata

from terrain_meshes import deviation, lod, processing, tiers
from terrain_meshes.analysis import Units


def before(mesh: trimesh.Trimesh, budgets: tuple[int, ...], triangles: int) -> list[tiers.Tier]:
    """The ladder as it was: a chain of `lod.reduced`, previews by triangle count."""
    display, current = [], mesh
    for budget in budgets:
        current = lod.reduced(current, budget) if len(current.faces) > budget else current
        display.append(current)
    cap = tiers.preview_cap(min(triangles, len(mesh.faces)))
    stored = [tiers.Tier(mesh, preview=False, full=True)]
    for tier in display:
        if all(tier is not t.mesh for t in stored):
            stored.append(tiers.Tier(tier, 0 < len(tier.faces) <= cap, False))
    return stored


def now(mesh: trimesh.Trimesh, budgets: tuple[int, ...], triangles: int) -> list[tiers.Tier]:
    return tiers.stored_ladder(mesh, tuple(lod.ladder(mesh, budgets)), triangles)


def worst(surface: deviation.Surface, stored: list[tiers.Tier], previews: bool) -> str:
    found = [surface.deviation(t.mesh) for t in stored[1:] if t.preview or not previews]
    return f"{max(found):.1%}" if found else "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted((testdata() / "openforge").glob("*.stl"))
    files += sorted((testdata() / "openforge-kit").glob("*.stl"))
    models = [(path.name, processing.process(path, Units.MM)) for path in files]
    times: dict[tuple[str, str], list[float]] = {}
    ladders: dict[tuple[str, str], list[tiers.Tier]] = {}
    for _ in range(args.runs):
        for name, result in models:
            budgets = tiers.budgets_for(min(result.triangles, len(result.mesh.faces)))
            for label, build in (("before", before), ("now", now)):
                started = time.perf_counter()
                ladders[name, label] = build(result.mesh, budgets, result.triangles)
                times.setdefault((name, label), []).append(time.perf_counter() - started)
    print(
        "| file | triangles | build before (s) | build now (s) | now / before "
        "| worst preview before | now | worst tier before | now | previews before → now |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    total = {"before": 0.0, "now": 0.0}
    for name, result in models:
        surface = deviation.Surface(result.mesh)
        cells = []
        for label in ("before", "now"):
            runs = times[name, label]
            total[label] += statistics.median(runs)
            cells.append(f"{statistics.median(runs):.2f} ({min(runs):.2f}-{max(runs):.2f})")
        ratio = statistics.median(times[name, "now"]) / statistics.median(times[name, "before"])
        old, new = ladders[name, "before"], ladders[name, "now"]
        counts = [",".join(str(t.triangles) for t in s if t.preview) or "-" for s in (old, new)]
        print(
            f"| {name} | {result.triangles:,} | {cells[0]} | {cells[1]} | {ratio:.2f}x "
            f"| {worst(surface, old, True)} | {worst(surface, new, True)} "
            f"| {worst(surface, old, False)} | {worst(surface, new, False)} "
            f"| {counts[0]} → {counts[1]} |"
        )
    print(
        f"\nAll {len(models)} files (sum of medians): before {total['before']:.2f} s, "
        f"now {total['now']:.2f} s ({total['now'] / total['before']:.2f}x)"
    )


if __name__ == "__main__":
    main()
