"""The 3D view: ours (the app's `TableScene`: shared mappers, level of detail by screen size)
beside the floor (the same display meshes merged into one mesh) and the naive way (one
`add_mesh` copy per piece), at 1,000 pieces; and 50 real-size pieces (real OpenForge tiles
subdivided to ~300,000 triangles) with level of detail beside their full resolution merged.

    .venv/bin/python benchmarks/viewport.py [--pieces 1000] [--frames 10]

Every scene gets the same stage: the same table (`TableScene.set_table`), lighting (light
kit), background and camera (`view_perspective`), and the same camera moves. Frames are
interleaved (ours, floor, naive, ours, ...) so the machine's noise hits all alike; each row
gives min and median. Also: moving one piece at 10 vs 1,000 pieces, and opening a
1,000-piece table from the local store. Renders off-screen (EGL, Mesa's software renderer)
at 1200 x 900, multisampling off.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pyvista as pv
import trimesh

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import Piece
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.scene.table_scene import TableScene
from terrain_desktop.store.local_store import LocalStore
from terrain_meshes.display import normalised, to_glb

SIZE = (1200, 900)
TABLE = (1800, 1300)
PIECE_TRIANGLES = 5_120


def make_assets(folder: Path, count: int, subdivisions: int, prefix: str) -> list[LibraryAsset]:
    """`count` distinct rock-like meshes of 20 * 4**subdivisions triangles each."""
    assets = []
    rng = np.random.default_rng(count * 100 + subdivisions)
    for n in range(count):
        rock = trimesh.creation.icosphere(subdivisions=subdivisions, radius=15)
        rock.vertices *= 1 + rng.uniform(-0.15, 0.15, (len(rock.vertices), 1))
        rock.apply_scale([1.0 + n * 0.05, 1.0, 0.7])
        path = folder / f"{prefix}{n}.glb"
        path.write_bytes(to_glb(normalised(rock)))
        assets.append(
            LibraryAsset(
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{prefix}{n}")),
                name=f"Rock {n}",
                category="rocks",
                tags=(),
                size_mm=tuple(float(v) for v in rock.extents),
                mesh_path=path,  # type: ignore[arg-type]
                thumbnail_path=path,
                colour="#8a8780",
            )
        )
    return assets


def layout(assets: list[LibraryAsset], count: int, width: float = 1800) -> dict[str, dict]:
    per_row = int(np.ceil(np.sqrt(count * 1.5)))
    return {
        f"p{i}": {
            "id": f"p{i}",
            "modelId": assets[i % len(assets)].id,
            "x": 30 + (i % per_row) * (width - 60) / per_row,
            "y": 30 + (i // per_row) * 35.0,
            "z": 0.0,
            "rotation": (i * 37) % 360,
            "scale": 1.0,
        }
        for i in range(count)
    }


def plotter() -> pv.Plotter:
    p = pv.Plotter(off_screen=True, window_size=list(SIZE))
    p.enable_lightkit()
    return p


def draw(p: pv.Plotter) -> None:
    """Render now. (`Plotter.render` does nothing off-screen before a first `show`.)"""
    p.ren_win.Render()


def frame_ms(p: pv.Plotter, frames: int) -> float:
    draw(p)
    samples = []
    for i in range(frames):
        p.camera.azimuth = 1.0 + i * 0.5
        start = time.perf_counter()
        draw(p)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def ours(
    assets: list[LibraryAsset], pieces: dict[str, dict], frames: int, cache: MeshCache
) -> tuple[dict[str, float], TableScene]:
    lookup = {a.id: a for a in assets}.get
    p = plotter()
    scene = TableScene(p, lookup, cache)
    build = timed(
        lambda: (
            scene.set_table(1800, 1300),
            scene.set_pieces({k: Piece.from_wire(v) for k, v in pieces.items()}),
            scene.view_perspective(),
            draw(p),
        )
    )
    frame = frame_ms(p, frames)
    points = [
        scene.display_point(v["x"], v["y"], 5)
        for v in list(pieces.values())[:: max(1, len(pieces) // 25)]
    ]
    pick = statistics.median(timed(lambda pt=pt: scene.pick(*pt)) for pt in points)
    some = next(iter(pieces))
    piece = Piece.from_wire(pieces[some])
    move = statistics.median(
        timed(lambda i=i: scene.update_piece(some, piece.changed({"x": 100 + i})))
        for i in range(50)
    )
    return {"build": build, "frame": frame, "pick": pick, "move": move}, scene


def drag(scene: TableScene, interactive: bool, start: float) -> list[float]:
    """A drag of one piece, as the window draws it: ten steps, each moving the piece and
    drawing a frame (the first frame included: it draws the table without the piece and keeps
    it, scene/moving_layer.py; the next ones draw the piece over the kept image), then the
    frame when the motion stops. `interactive`: the app's frames while moving
    (scene/interactive.py); otherwise every frame full, as before."""
    some = next(iter(scene.actors))
    actor = scene.actors[some]
    x, y, _ = actor.GetPosition()
    piece = Piece(id=some, asset_id="", x=x, y=y, rotation=actor.GetOrientation()[2])
    scene.interactive.enabled = interactive
    scene.highlight(set())  # nothing lifted beforehand: the drag starts from a still table
    scene.plotter.camera.Azimuth(0.01)
    draw(scene.plotter)
    scene.interactive.moving = True
    frames = [
        timed(
            lambda i=i: (
                scene.update_piece(some, piece.changed({"x": start + i})),
                draw(scene.plotter),
            )
        )
        for i in range(10)
    ]
    scene.interactive.moving = False
    frames.append(timed(lambda: draw(scene.plotter)))  # the still frame
    return frames


def drags(scenes: dict[str, TableScene], rounds: int) -> None:
    """Drags at each size in turn (before, ours; 10 pieces, 1,000 pieces; round after round)."""
    samples: dict[tuple[str, str], list[list[float]]] = {}
    for n in range(rounds):
        for size, scene in scenes.items():
            for kind in ("before", "ours"):
                frames = drag(scene, kind == "ours", 200.0 + 20 * n)
                samples.setdefault((size, kind), []).append(frames)
    print("\ndragging one piece: 10 moves with a frame each (the first included), then the still")
    print("frame; before = every frame full (today), ours = interactive frames while moving")
    print(f"{'':28}{'mean ms/move':>13}{'first ms':>9}{'rest median':>12}{'still ms':>9}")
    means = {}
    for (size, kind), runs in samples.items():
        moves = [f for run in runs for f in run[:10]]
        means[(size, kind)] = statistics.mean(moves)
        print(
            f"{f'{size}, {kind}':28}{means[(size, kind)]:13.0f}"
            f"{statistics.median(run[0] for run in runs):9.0f}"
            f"{statistics.median(f for run in runs for f in run[1:10]):12.0f}"
            f"{statistics.median(run[10] for run in runs):9.0f}"
        )
    few, many = list(scenes)
    for kind in ("before", "ours"):
        print(
            f"{kind}: mean move frame, {many} / {few}: "
            f"{means[(many, kind)] / means[(few, kind)]:.2f}x (goal <= 1.5)"
        )


def transformed(asset: LibraryAsset, piece: dict, cache: MeshCache) -> pv.PolyData:
    mesh = cache.get(asset.mesh_path).copy()
    mesh.rotate_z(piece["rotation"], inplace=True)
    mesh.translate((piece["x"], piece["y"], piece["z"]), inplace=True)
    return mesh


def stage(lookup: dict[str, LibraryAsset], meshes: MeshCache) -> tuple[pv.Plotter, TableScene]:
    """A plotter with the app's table, lighting, background and camera, and no pieces yet."""
    p = plotter()
    scene = TableScene(p, lookup.get, meshes)
    scene.set_table(*TABLE)
    scene.view_perspective()
    return p, scene


def ours_scene(
    lookup: dict[str, LibraryAsset], pieces: dict[str, dict], meshes: MeshCache, lod: bool = True
) -> tuple[pv.Plotter, TableScene, float]:
    p, scene = stage(lookup, meshes)
    scene.lod.enabled = lod
    typed = {k: Piece.from_wire(v) for k, v in pieces.items()}
    build = timed(lambda: (scene.set_pieces(typed), draw(p)))
    return p, scene, build


def merged_scene(
    lookup: dict[str, LibraryAsset], pieces: dict[str, dict], meshes: MeshCache
) -> tuple[pv.Plotter, float]:
    """The floor: every piece's mesh moved into place and merged into one mesh."""
    p, _ = stage(lookup, meshes)
    build = timed(
        lambda: (
            p.add_mesh(
                pv.merge([transformed(lookup[v["modelId"]], v, meshes) for v in pieces.values()]),
                color="#8a8780",
                render=False,
            ),
            draw(p),
        )
    )
    return p, build


def merged_tiers_scene(
    lookup: dict[str, LibraryAsset], pieces: dict[str, dict], scene: TableScene
) -> pv.Plotter:
    """The floor at ours' own triangles: each piece as the tier ours draws it with, merged."""
    p, _ = stage(lookup, MeshCache())
    parts = []
    for piece_id, v in pieces.items():
        mesh = pv.PolyData(scene.actors[piece_id].GetMapper().GetInput()).copy()
        mesh.rotate_z(v["rotation"], inplace=True)
        mesh.translate((v["x"], v["y"], v["z"]), inplace=True)
        parts.append(mesh)
    p.add_mesh(pv.merge(parts), color="#8a8780", render=False)
    draw(p)
    return p


def naive_scene(
    lookup: dict[str, LibraryAsset], pieces: dict[str, dict], meshes: MeshCache
) -> tuple[pv.Plotter, float]:
    p, _ = stage(lookup, meshes)
    build = timed(
        lambda: (
            [
                p.add_mesh(
                    transformed(lookup[v["modelId"]], v, meshes), color="#8a8780", render=False
                )
                for v in pieces.values()
            ],
            draw(p),
        )
    )
    return p, build


def interleaved_frames(plotters: dict[str, pv.Plotter], frames: int) -> dict[str, list[float]]:
    """Frame times in ms, the scenes taking turns, each after the same camera move."""
    for p in plotters.values():
        draw(p)
    samples: dict[str, list[float]] = {name: [] for name in plotters}
    for _ in range(frames):
        for name, p in plotters.items():
            p.camera.Azimuth(0.5)
            samples[name].append(timed(lambda p=p: draw(p)))
    return samples


def print_frames(
    title: str,
    samples: dict[str, list[float]],
    builds: dict[str, float],
    triangles: dict[str, int] | None = None,
) -> None:
    print(f"\n{title}")
    print(f"{'':46}{'triangles':>11}{'build ms':>9}{'min ms':>8}{'median ms':>10}{'max ms':>8}")
    for name, times in samples.items():
        build = f"{builds[name]:9.0f}" if name in builds else f"{'-':>9}"
        drawn = f"{triangles[name]:11,}" if triangles and name in triangles else f"{'-':>11}"
        print(
            f"{name:46}{drawn}{build}{min(times):8.0f}{statistics.median(times):10.0f}"
            f"{max(times):8.0f}"
        )


def ratio(samples: dict[str, list[float]], a: str, b: str) -> float:
    return statistics.median(samples[a]) / statistics.median(samples[b])


def many_pieces(assets: list[LibraryAsset], count: int, frames: int) -> None:
    lookup = {a.id: a for a in assets}
    pieces = layout(assets, count)
    meshes = MeshCache()
    p_ours, scene, build_ours = ours_scene(lookup, pieces, meshes)
    p_floor, build_floor = merged_scene(lookup, pieces, meshes)
    p_naive, build_naive = naive_scene(lookup, pieces, meshes)
    p_same = merged_tiers_scene(lookup, pieces, scene)
    p_nolod, _, build_nolod = ours_scene(lookup, pieces, meshes, lod=False)
    names = {
        "ours (TableScene, level of detail)": p_ours,
        "floor: display meshes merged into one": p_floor,
        "naive: add_mesh copy per piece": p_naive,
        "floor at ours' tiers, merged into one": p_same,
        "ours without level of detail": p_nolod,
    }
    samples = interleaved_frames(names, frames)
    builds = dict(zip(names, (build_ours, build_floor, build_naive), strict=False))
    builds["ours without level of detail"] = build_nolod
    drawn = scene.lod.drawn_triangles()
    full = count * PIECE_TRIANGLES
    first, floor, naive, same, nolod = list(names)
    triangles = {first: drawn, same: drawn, floor: full, naive: full, nolod: full}
    print_frames(
        f"{count} pieces, {len(assets)} meshes of {PIECE_TRIANGLES:,} triangles "
        f"({full:,}); ours draws {drawn:,}",
        samples,
        builds,
        triangles,
    )
    print(
        "like for like (same triangles): "
        f"ours / floor at ours' tiers {ratio(samples, first, same):.2f}x (goal <= 1.0), "
        f"ours without LOD / floor {ratio(samples, nolod, floor):.2f}x, "
        f"naive / ours without LOD {ratio(samples, naive, nolod):.1f}x\n"
        f"LOD rows (ours draws {drawn / full:.0%} of the triangles): "
        f"ours / floor {ratio(samples, first, floor):.2f}x, "
        f"naive / ours {ratio(samples, naive, first):.1f}x"
    )
    for p in names.values():
        p.close()


def heavy_pieces(folder: Path, frames: int) -> None:
    assets = real_heavy_assets(folder)
    lookup = {a.id: a for a in assets}
    pieces = layout(assets, 50, width=1200)
    p_lod, scene, build_lod = ours_scene(lookup, pieces, MeshCache())
    p_full, build_full = merged_scene(lookup, pieces, MeshCache(lod_triangles=None))
    names = {"ours (TableScene, level of detail)": p_lod, "full resolution, merged": p_full}
    samples = interleaved_frames(names, frames)
    sizes = ", ".join(f"{a.name} {int(a.size_mm[0]):,}" for a in assets)
    total = sum(int(a.size_mm[0]) for a in (assets[i % len(assets)] for i in range(50)))
    first, full = list(names)
    print_frames(
        f"50 real-size pieces ({sizes} triangles; {total:,} in all); "
        f"ours draws {scene.lod.drawn_triangles():,}",
        samples,
        dict(zip(names, (build_lod, build_full), strict=True)),
        {first: scene.lod.drawn_triangles(), full: total},
    )
    print(f"LOD row (ours draws fewer triangles): full / ours {ratio(samples, full, first):.1f}x")
    for p in names.values():
        p.close()


def real_heavy_assets(folder: Path) -> list[LibraryAsset]:
    """Three real OpenForge tiles subdivided to 200,000-470,000 triangles (~300,000 on
    average), written as GLB files as the app stores display meshes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.shared_testdata import openforge

    assets = []
    for name, times in (
        ("of_low_wall_pool_three_quarter_diagonal.stl", 3),
        ("of_1x1-staggered_curved_line_top.stl", 2),
        ("of_smooth_curved_3x3.stl", 5),
    ):
        tile = trimesh.load(openforge(name))
        vertices, faces = tile.vertices, tile.faces
        for _ in range(times):
            vertices, faces = trimesh.remesh.subdivide(vertices, faces)
        path = folder / f"heavy-{times}-{len(faces)}.glb"
        path.write_bytes(to_glb(normalised(trimesh.Trimesh(vertices, faces, process=False))))
        assets.append(
            LibraryAsset(
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{name}")),
                name=name.removeprefix("of_").removesuffix(".stl"),
                category="tiles",
                tags=(),
                size_mm=(float(len(faces)), 0.0, 0.0),  # (the triangle count, for the table)
                mesh_path=path,
                thumbnail_path=path,
                colour="#8a8780",
            )
        )
    return assets


def open_from_store(assets: list[LibraryAsset], count: int, folder: Path) -> tuple[float, float]:
    store = LocalStore(folder / "bench.sqlite")
    pieces = [dict(v) for v in layout(assets, count).values()]
    table = store.create_table("Big", 1800, 1300, placements=pieces)
    store.close()
    lookup = {a.id: a for a in assets}.get
    start = time.perf_counter()
    reopened = LocalStore(folder / "bench.sqlite")
    doc = TableDocument(reopened, table, lookup)
    load = (time.perf_counter() - start) * 1000
    p = plotter()
    scene = TableScene(p, lookup, MeshCache())
    shown = timed(
        lambda: (
            scene.set_table(1800, 1300),
            scene.set_pieces(doc.pieces),
            scene.view_perspective(),
            draw(p),
        )
    )
    p.close()
    return load, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument(
        "--only-move", action="store_true", help="only the move at 10 vs --pieces pieces"
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help="1,000 real OpenForge pieces, interactive and still (benchmarks/viewport_real.py)",
    )
    args, _ = parser.parse_known_args()
    if args.real:
        import viewport_real

        viewport_real.main()
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assets = make_assets(folder, 10, 4, "rock")  # 5,120 triangles each
        print(f"{SIZE[0]}x{SIZE[1]} px, table {TABLE[0]} x {TABLE[1]} mm, {args.frames} frames")
        if not args.only_move:
            many_pieces(assets, args.pieces, args.frames)
            heavy_pieces(folder, max(3, args.frames // 2))
        cache = MeshCache()
        ours_many, scene_many = ours(assets, layout(assets, args.pieces), 3, cache)
        ours_few, scene_few = ours(assets, layout(assets, 10), 3, cache)
        print(
            f"\nupdating one piece's actor (no render): {ours_few['move']:.3f} ms at 10 pieces, "
            f"{ours_many['move']:.3f} ms at {args.pieces}"
        )
        drags({"10 pieces": scene_few, f"{args.pieces} pieces": scene_many}, 3)
        scene_few.plotter.close()
        scene_many.plotter.close()
        if args.only_move:
            print("load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
            return
        load, shown = open_from_store(assets, args.pieces, folder)
        print(
            f"\nopening a {args.pieces}-piece table from the store: load {load:.0f} ms, "
            f"first frame {shown:.0f} ms"
        )
    print("load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
