"""The look's cost: the same 1,000-piece table and camera drawn with the previous look, the new
default look, the new look with shadows, and the new look with 50 pieces selected (outlined).

    .venv/bin/python benchmarks/look.py [--pieces 1000] [--frames 9] [--rounds 3]

Off-screen (EGL, Mesa's software renderer) at 1200 x 900, multisampling off, the bundled sample
library's meshes. Each look is measured in turn, round after round (so drifts in the machine's
speed hit them all), orbiting the camera a little before every frame. The previous look is the
scene as it was before the look changed: a plain slab, the grid as line actors, Phong pieces
with a flat 0.1 specular, no FXAA, no outlines.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import numpy as np
import pyvista as pv

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.scene import look
from terrain_desktop.scene.table_scene import TableScene

SIZE = (1200, 900)
WIDTH, GRID = 1800.0, 100.0


def pieces(count: int) -> dict[str, dict[str, object]]:
    assets = sorted(bundled_library().values(), key=lambda a: a.name)
    per_row = int(np.ceil(np.sqrt(count * 1.5)))
    return {
        f"p{i}": {
            "id": f"p{i}",
            "modelId": assets[i % len(assets)].id,
            "x": 30 + (i % per_row) * (WIDTH - 60) / per_row,
            "y": 30 + (i // per_row) * 35.0,
            "z": 0.0,
            "rotation": (i * 37) % 360,
            "scale": 1.0,
        }
        for i in range(count)
    }


def previous_look(p: pv.Plotter, scene: TableScene) -> None:
    """Undo the new look on a built scene: the old table, materials and no FXAA."""
    for actor in scene._table_actors:
        p.remove_actor(actor, render=False)
    depth = scene.depth
    slab = pv.Box(bounds=(0, WIDTH, 0, depth, -18, 0))
    lines = [pv.Line((x, 0, 0.6), (x, depth, 0.6)) for x in np.arange(GRID, WIDTH, GRID)]
    lines += [pv.Line((0, y, 0.6), (WIDTH, y, 0.6)) for y in np.arange(GRID, depth, GRID)]
    p.add_mesh(slab, color="#5d7a45", pickable=False, render=False)
    p.add_mesh(pv.merge(lines), color="#7f9a63", line_width=1, pickable=False, render=False)
    p.set_background("#20242a", top="#3a4350")
    p.renderer.UseFXAAOff()
    for actor in scene.actors.values():
        prop = actor.GetProperty()
        prop.SetAmbient(0.0)
        prop.SetDiffuse(1.0)
        prop.SetSpecular(0.1)
        prop.SetSpecularPower(1.0)


def build(kind: str, layout: dict[str, dict[str, object]]) -> pv.Plotter:
    p = pv.Plotter(off_screen=True, window_size=list(SIZE))
    scene = TableScene(p, lambda i: bundled_library().get(i))
    depth = max(float(v["y"]) for v in layout.values()) + 60  # type: ignore[arg-type]
    scene.set_table(WIDTH, depth, GRID)
    scene.set_pieces(layout)  # type: ignore[arg-type]
    scene.view_perspective()
    if kind == "previous look":
        previous_look(p, scene)
    elif kind == "new look + shadows":
        look.set_shadows(p, True)
    elif kind == "new look, 50 selected":
        scene.highlight({f"p{i}" for i in range(0, 1000, 20)})
        scene.show_handle({"x": WIDTH / 2, "y": depth / 2, "z": 0.0, "rotation": 0.0})
    p.ren_win.Render()
    return p


def frame_ms(p: pv.Plotter, frames: int) -> list[float]:
    samples = []
    for _ in range(frames):
        p.camera.Azimuth(0.5)
        start = time.perf_counter()
        p.ren_win.Render()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    layout = pieces(args.pieces)
    kinds = ["previous look", "new look", "new look + shadows", "new look, 50 selected"]
    plotters = {kind: build(kind, layout) for kind in kinds}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            times[kind] += frame_ms(plotters[kind], args.frames)
    base = statistics.median(times["previous look"])
    print(f"{args.pieces} pieces, {SIZE[0]}x{SIZE[1]}, {args.rounds}x{args.frames} frames each")
    print("| look | min | median | vs previous |")
    print("|---|---:|---:|---:|")
    for kind in kinds:
        median = statistics.median(times[kind])
        print(f"| {kind} | {min(times[kind]):.0f} ms | {median:.0f} ms | {median / base:.2f}× |")
    for p in plotters.values():
        p.close()


if __name__ == "__main__":
    main()
