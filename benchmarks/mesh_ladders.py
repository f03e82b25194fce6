"""The server's ladder against the old single display mesh, on the real OpenForge kit.

For the 12 distinct assets of `planning_table.dressed_table` (40 pieces), scaled up to a
1,000-piece table of the same assets, it reports:

- **Downloads** before (every asset's `display.glb`: the full mesh under 40,000 triangles,
  else its 40,000-triangle tier) and now (the server's tiers the desktop draws, at most
  20,000 triangles: the coarsest of each first, then the finer ones), for a device that does
  not own the assets (preview tiers only) and one that does.
- **Time to a complete first frame from an empty cache**: before, each display mesh
  downloaded whole and the desktop's own ladder built from it (`lod.ladder` on the merged
  mesh, as `scene/lod.py` did); now, each asset's coarsest tier downloaded and read. The
  network is modelled at `--mbit` (default 50 Mbit/s); the CPU parts are measured here.
- **Line of sight on previews**: the 40-piece table's 1-inch sight map (eye 30 mm) with each
  piece's full mesh, with its densest preview tier, and with the densest tier an owner
  draws: the share of cell pairs whose verdict (clear or blocked) differs, how far a cell's
  coverage (the share of the table it sees) moves, and the share of eyes standing at another
  height (an eye on a wall's top in one and beside it in the other sees very differently).

    .venv/bin/python benchmarks/mesh_ladders.py [--mbit 50] [--pieces 1000]
"""

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import trimesh

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_table import KIT, dressed_table, testdata

from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.sight import sight_map
from terrain_desktop.store.mesh_cache import DRAWN_TRIANGLES
from terrain_meshes import display, lod, processing, repair
from terrain_meshes.analysis import Units
from terrain_meshes.budgets import LADDER


def ladders() -> dict[str, processing.Result]:
    return {name: processing.process(testdata() / name, Units.MM) for name in KIT}


def mb(count: float) -> str:
    return f"{count / 1e6:,.1f}"


def downloads(results: dict[str, processing.Result], mbit: float, pieces: int) -> None:
    per_mb = mbit * 1e6 / 8
    before = now_preview = now_owner = first_now = 0
    before_s = now_s = 0.0
    for result in results.values():
        old = display.to_glb(result.display)
        before += len(old)
        started = time.perf_counter()
        mesh = trimesh.load(trimesh.util.wrap_as_stream(old), file_type="glb", force="mesh")
        lod.ladder(
            repair.whole(mesh), (DRAWN_TRIANGLES, *(b for b in LADDER if b < DRAWN_TRIANGLES))
        )
        before_s += time.perf_counter() - started + len(old) / per_mb
        stored = [t for t in result.stored_ladder() if t.triangles <= DRAWN_TRIANGLES]
        files = {id(t): display.to_glb(t.mesh) for t in stored}
        now_owner += sum(len(f) for f in files.values())
        now_preview += sum(len(files[id(t)]) for t in stored if t.preview)
        coarsest = files[id(stored[-1])]
        first_now += len(coarsest)
        started = time.perf_counter()
        trimesh.load(trimesh.util.wrap_as_stream(coarsest), file_type="glb", force="mesh")
        now_s += time.perf_counter() - started + len(coarsest) / per_mb
    print(
        f"{pieces:,} pieces of {len(results)} distinct assets "
        "(a table downloads each asset once, however many pieces use it)"
    )
    print(f"| | MB | time to a complete first frame ({mbit:g} Mbit/s) |")
    print("|---|---:|---:|")
    print(
        f"| before: display.glb of each asset, ladder built here | {mb(before)} "
        f"| {before_s:.1f} s |"
    )
    print(f"| now, first round: coarsest tier of each | {mb(first_now)} | {now_s:.2f} s |")
    print(f"| now, all drawn tiers, not owned (previews) | {mb(now_preview)} | |")
    print(f"| now, all drawn tiers, owned | {mb(now_owner)} | |")
    scale = pieces / len(results)
    print(
        f"\nA {pieces:,}-piece table of {pieces:,} different assets like these (x{scale:.0f}): "
        f"before {mb(before * scale)} MB and {before_s * scale:.0f} s; "
        f"now {mb(first_now * scale)} MB "
        f"and {now_s * scale:.1f} s to a complete first frame, then {mb(now_preview * scale)} MB "
        f"(not owned) or {mb(now_owner * scale)} MB (owned) for every drawn tier."
    )


def with_meshes(table: TableLayout, meshes: dict[str, trimesh.Trimesh]) -> TableLayout:
    return replace(table, pieces=tuple(replace(p, mesh=meshes[p.asset_id]) for p in table.pieces))


def sight(results: dict[str, processing.Result]) -> None:
    table = dressed_table()
    full = {name: r.mesh for name, r in results.items()}
    preview = {}
    owned = {}
    for name, result in results.items():
        stored = [t for t in result.stored_ladder() if t.triangles <= DRAWN_TRIANGLES]
        preview[name] = next(t.mesh for t in stored if t.preview)
        owned[name] = stored[0].mesh
    reference = sight_map(with_meshes(table, full))
    print(
        "| sight map with | triangles on the table | pairs differing "
        "| coverage difference: mean | 95th percentile | largest | eyes moved > 1 mm |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, meshes in (
        ("full meshes", full),
        ("preview tiers", preview),
        ("owners' tiers", owned),
    ):
        placed = with_meshes(table, meshes)
        answer = sight_map(placed)
        count = sum(len(p.mesh.faces) for p in placed.pieces)
        differ = float(np.mean(answer.visible != reference.visible))
        gap = np.abs(answer.coverage - reference.coverage)
        moved = float(np.mean(np.abs(answer.eyes[:, 2] - reference.eyes[:, 2]) > 1.0))
        print(
            f"| {label} | {count:,} | {differ:.2%} | {gap.mean():.2%} "
            f"| {np.percentile(gap, 95):.1%} | {gap.max():.1%} | {moved:.1%} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbit", type=float, default=50.0)
    parser.add_argument("--pieces", type=int, default=1000)
    args = parser.parse_args()
    results = ladders()
    downloads(results, args.mbit, args.pieces)
    print()
    sight(results)


if __name__ == "__main__":
    main()
