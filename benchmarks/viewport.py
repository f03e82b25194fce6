"""The 3D view at 1,000 pieces: ours (one shared mapper per mesh) beside the floor (the same
triangles as one merged mesh) and the naive way (one `add_mesh` copy per piece).

    .venv/bin/python benchmarks/viewport.py [--pieces 1000] [--frames 10]

Also: the cost of moving one piece at 10 vs 1,000 pieces, opening a 1,000-piece table from
the local store, and 50 pieces of ~300,000 triangles with and without level of detail.
Renders off-screen (EGL, Mesa's software renderer) at 1200 x 900, multisampling off.
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

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
) -> dict[str, float]:
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
    move_render = statistics.median(
        timed(lambda i=i: (scene.update_piece(some, piece.changed({"x": 200 + i})), draw(p)))
        for i in range(5)
    )
    p.close()
    return {"build": build, "frame": frame, "pick": pick, "move": move, "move+render": move_render}


def transformed(asset: LibraryAsset, piece: dict, cache: MeshCache) -> pv.PolyData:
    mesh = cache.get(asset.mesh_path).copy()
    mesh.rotate_z(piece["rotation"], inplace=True)
    mesh.translate((piece["x"], piece["y"], piece["z"]), inplace=True)
    return mesh


def merged_floor(
    assets: list[LibraryAsset], pieces: dict[str, dict], frames: int, cache: MeshCache
) -> dict[str, float]:
    lookup = {a.id: a for a in assets}
    p = plotter()
    build = timed(
        lambda: (
            p.add_mesh(
                pv.merge([transformed(lookup[v["modelId"]], v, cache) for v in pieces.values()]),
                color="#8a8780",
            ),
            draw(p),
        )
    )
    frame = frame_ms(p, frames)
    p.close()
    return {"build": build, "frame": frame}


def naive(
    assets: list[LibraryAsset], pieces: dict[str, dict], frames: int, cache: MeshCache
) -> dict[str, float]:
    lookup = {a.id: a for a in assets}
    p = plotter()
    build = timed(
        lambda: (
            [
                p.add_mesh(
                    transformed(lookup[v["modelId"]], v, cache), color="#8a8780", render=False
                )
                for v in pieces.values()
            ],
            draw(p),
        )
    )
    frame = frame_ms(p, frames)
    picker = pv._vtk.vtkCellPicker()
    points = [(SIZE[0] * f, SIZE[1] * f) for f in np.linspace(0.3, 0.7, 25)]
    pick = statistics.median(
        timed(lambda pt=pt: picker.Pick(pt[0], pt[1], 0, p.renderer)) for pt in points
    )
    p.close()
    return {"build": build, "frame": frame, "pick": pick}


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assets = make_assets(folder, 10, 4, "rock")  # 5,120 triangles each
        cache = MeshCache()
        for asset in assets:  # load every mesh once, so each way below is timed without I/O
            cache.get(asset.mesh_path)
        many = layout(assets, args.pieces)
        few = layout(assets, 10)
        triangles = len(trimesh.load(assets[0].mesh_path, force="mesh").faces)
        print(f"{args.pieces} pieces, 10 meshes x {triangles:,} triangles, {SIZE[0]}x{SIZE[1]}\n")
        ours_many = ours(assets, many, args.frames, cache)
        floor = merged_floor(assets, many, args.frames, cache)
        naive_many = naive(assets, many, args.frames, cache)
        print(f"{'':34}{'build ms':>10}{'frame ms':>10}{'pick ms':>10}")
        row = "{:34}{:10.0f}{:10.0f}{:>10}"
        print(
            row.format(
                "ours (shared mapper per mesh)",
                ours_many["build"],
                ours_many["frame"],
                f"{ours_many['pick']:.1f}",
            )
        )
        print(row.format("floor (one merged mesh)", floor["build"], floor["frame"], "-"))
        print(
            row.format(
                "naive (add_mesh copy per piece)",
                naive_many["build"],
                naive_many["frame"],
                f"{naive_many['pick']:.1f}",
            )
        )
        ours_few = ours(assets, few, args.frames, cache)
        print("\nmoving one piece (update its actor; then with a render)")
        print(f"{'':34}{'update ms':>10}{'+render ms':>11}")
        print(f"{'10 pieces':34}{ours_few['move']:10.3f}{ours_few['move+render']:11.0f}")
        print(
            f"{f'{args.pieces} pieces':34}{ours_many['move']:10.3f}{ours_many['move+render']:11.0f}"
        )
        load, shown = open_from_store(assets, args.pieces, folder)
        print(
            f"\nopening a {args.pieces}-piece table from the store: load {load:.0f} ms, "
            f"first frame {shown:.0f} ms"
        )
        heavy = make_assets(folder, 5, 7, "heavy")  # 327,680 triangles each
        fifty = layout(heavy, 50, width=1200)
        lod = ours(heavy, fifty, 3, MeshCache())
        full = ours(heavy, fifty, 3, MeshCache(lod_triangles=None))
        print("\n50 pieces of 327,680 triangles")
        print(f"{'':34}{'build ms':>10}{'frame ms':>10}")
        print(f"{'with level of detail (20k)':34}{lod['build']:10.0f}{lod['frame']:10.0f}")
        print(f"{'full meshes':34}{full['build']:10.0f}{full['frame']:10.0f}")


if __name__ == "__main__":
    main()
