"""The 3D view at 1,000 real OpenForge pieces: interactive and still frames against today's
full frame, at the overview and at a player's eye height across the table.

    .venv/bin/python benchmarks/viewport_real.py [--pieces 1000] [--rounds 8] [--shots DIR]
    (or benchmarks/viewport.py --real ...)

The 12 STLs of the shared test data imported as the app imports them (`real_table.py`; the
first run imports them into a cache folder), laid out 1,000 pieces on a 6 x 4 ft table, drawn
off-screen (EGL, Mesa's software renderer) at 1200 x 900 with the app's `TableScene`.

Each round, at each camera, in turn on the same scene (so the machine's noise hits all alike):
- **before**: today's frame while moving, every frame full: full size, FXAA, 16x anisotropic
  mat, pieces in the order they were added, the level of detail with its hysteresis;
- **interactive**: three frames of a motion (`InteractiveFrames.moving`), the first frame of
  the motion included (it switches the look);
- **still**: the full frame drawn when the motion stops, at the camera it stopped at.
Every frame follows a camera step (0.5 degrees of orbit), as in an orbit. The table gives min,
median and max ms a frame (wall clock), the median CPU time a frame (all the process's
threads, llvmpipe's included: steadier than the wall clock on a machine others are loading)
and the triangles drawn. The level of detail's choice is the new
vectorised one in all rows (main's per-piece loop took a further 10-40 ms a frame), so
"before" is, if anything, faster than today's.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import real_table

from terrain_desktop.scene.lod import HYSTERESIS
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.scene.table_scene import TableScene

CAMERAS: dict[str, Callable[[TableScene], None]] = {
    "overview": real_table.overview,
    "eye height": real_table.eye_height,
}


def added_order(table: TableScene) -> None:
    """The props back in the order they were added (the table, then the pieces): today's."""
    props = table.plotter.renderer.GetViewProps()
    items = list(props)
    first = [p for p in items if any(p is t for t in table._table_actors)]
    pieces = list(table.actors.values())
    rest = [p for p in items if all(p is not q for q in first + pieces)]
    for index, prop in enumerate(first + pieces + rest):
        props.ReplaceItem(index, prop)


def configure(table: TableScene, kind: str) -> None:
    before = kind == "before"
    table.interactive.enabled = not before
    table.draw_order.enabled = not before
    table.interactive.moving = kind == "interactive"
    if before:
        added_order(table)
        table.lod.hysteresis = HYSTERESIS
    for piece in table.lod._pieces.values():  # back faces drawn before, culled where hidden now
        piece.actor.GetProperty().SetBackfaceCulling(not before and piece.cull[piece.tier])


#: CPU time of each frame (every thread of the process: llvmpipe's too), by row.
CPU: dict[tuple[str, str], list[float]] = {}


def timed_frame(table: TableScene, turn: float, key: tuple[str, str]) -> float:
    if turn:
        table.plotter.camera.Azimuth(turn)
    start, cpu = time.perf_counter(), time.process_time()
    table.plotter.ren_win.Render()
    CPU.setdefault(key, []).append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def run(table: TableScene, rounds: int) -> dict[tuple[str, str], list[float]]:
    samples: dict[tuple[str, str], list[float]] = {}
    triangles: dict[tuple[str, str], list[int]] = {}
    for camera_name, place in CAMERAS.items():
        place(table)
        table.plotter.ren_win.Render()
        for n in range(rounds):
            turn = 0.5 if n % 2 else -0.5
            for kind in ("before", "interactive", "still"):
                configure(table, kind)
                key = (camera_name, kind)
                if kind == "still":  # the motion stops: the frame at the camera it left
                    frames = [timed_frame(table, 0.0, key)]
                else:
                    count = 3 if kind != "before" else 1
                    frames = [timed_frame(table, turn, key) for _ in range(count)]
                samples.setdefault(key, []).extend(frames)
                triangles.setdefault(key, []).append(table.lod.drawn_triangles())
    run.triangles = triangles  # type: ignore[attr-defined]
    return samples


def shots(table: TableScene, folder: Path) -> None:
    """Before, interactive and still images at both cameras (PNG), for the eye to compare."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for camera_name, place in CAMERAS.items():
        place(table)
        for kind in ("before", "interactive", "still"):
            configure(table, kind)
            table.plotter.camera.Azimuth(0.01)
            table.plotter.camera.Azimuth(-0.01)
            table.plotter.ren_win.Render()
            image = np.asarray(table.plotter.screenshot(return_img=True))
            name = f"27-{camera_name.replace(' ', '-')}-{kind}.png"
            Image.fromarray(image).save(folder / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "terrain-builder-bench" / "real"
    )
    parser.add_argument("--shots", type=Path, help="save before/interactive/still PNGs here")
    args = parser.parse_args(sys.argv[2:] if sys.argv[1:2] == ["--real"] else None)
    assets = real_table.imported_assets(args.cache)
    meshes = MeshCache()
    plotter, table = real_table.scene(assets, args.pieces, meshes)
    full = sum(meshes.asset_tiers(a)[0].GetNumberOfCells() for a in assets)
    per_piece = full / len(assets)
    print(
        f"{args.pieces} real pieces ({len(assets)} models imported as the app imports them, "
        f"~{per_piece * args.pieces / 1e6:.1f} M triangles at display detail), "
        f"{real_table.SIZE[0]}x{real_table.SIZE[1]} px, {args.rounds} rounds; "
        f"LP_NUM_THREADS={os.environ.get('LP_NUM_THREADS', 'unset (llvmpipe: one per CPU)')}, "
        f"{os.cpu_count()} CPUs"
    )
    samples = run(table, args.rounds)
    triangles = run.triangles  # type: ignore[attr-defined]
    print(f"\n{'':52}{'ms a frame (wall)':^22}{'CPU ms':>8}")
    print(
        f"{'camera':12}{'frame':40}{'min':>7}{'median':>8}{'max':>7}{'median':>8}{'triangles':>11}"
    )
    labels = {
        "before": "before: full frame every frame (today)",
        "interactive": "interactive (while moving)",
        "still": "still (when the motion stops)",
    }
    for (camera_name, kind), times in samples.items():
        drawn = int(statistics.median(triangles[(camera_name, kind)]))
        print(
            f"{camera_name:12}{labels[kind]:40}{min(times):7.0f}{statistics.median(times):8.0f}"
            f"{max(times):7.0f}{statistics.median(CPU[(camera_name, kind)]):8.0f}{drawn:11,}"
        )
    for camera_name in CAMERAS:
        before = statistics.median(samples[(camera_name, "before")])
        moving = statistics.median(samples[(camera_name, "interactive")])
        still = statistics.median(samples[(camera_name, "still")])
        cpu = {
            k: statistics.median(CPU[(camera_name, k)]) for k in ("before", "interactive", "still")
        }
        print(
            f"{camera_name}: interactive / before {moving / before:.2f}x wall, "
            f"{cpu['interactive'] / cpu['before']:.2f}x CPU (goal: <= 100 ms); "
            f"still / before {still / before:.2f}x wall, {cpu['still'] / cpu['before']:.2f}x CPU "
            "(goal: <= 200 ms)"
        )
    print("load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    if args.shots is not None:
        shots(table, args.shots)
    plotter.close()


if __name__ == "__main__":
    main()
