"""A 1,000-piece table of real OpenForge models, imported as the app imports them.

Shared by `benchmarks/viewport_real.py`: the 12 STLs of the shared test data (`openforge/`
and `openforge-kit/`; `TERRAIN_TESTDATA` wins, as in the tests) go through the desktop's own
import (`inspect`, then `import_model`: repair, level-of-detail ladder, display GLB) into a
store kept in a cache folder, so only the first run pays for the imports. The pieces are laid
out on a 6 x 4 ft table in rows, every model in turn, turned by 90 degrees steps.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import numpy as np
import pyvista as pv

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.piece import Piece
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.scene.table_scene import TableScene

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TABLE = (1829.0, 1219.0)
SIZE = (1200, 900)


def testdata() -> Path:
    from tests.shared_testdata import testdata_dir

    return testdata_dir()


def imported_assets(cache: Path) -> list[LibraryAsset]:
    """The 12 real models as library assets, imported once into `cache`."""
    from terrain_desktop.meshes import importer
    from terrain_desktop.store.local_store import LocalStore

    root = testdata()
    files = sorted((root / "openforge").glob("*.stl")) + sorted(
        (root / "openforge-kit").glob("*.stl")
    )
    cache.mkdir(parents=True, exist_ok=True)
    store = LocalStore(cache / "store.sqlite")
    done = {row["name"] for row in store.local_assets()}
    for path in files:
        if path.stem not in done:
            inspection = importer.inspect(path)
            importer.import_model(
                store, inspection, inspection.guessed_units, path.stem, cache / "meshes"
            )
    rows = [row for row in store.local_assets() if row["name"] in {p.stem for p in files}]
    store.close()
    return [importer.local_asset(row) for row in rows]


def layout(assets: list[LibraryAsset], count: int) -> dict[str, Piece]:
    """`count` pieces in rows over the table, each model in turn."""
    width, depth = TABLE
    per_row = int(np.ceil(np.sqrt(count * width / depth)))
    rows = int(np.ceil(count / per_row))
    pieces = {}
    for i in range(count):
        asset = assets[i % len(assets)]
        pieces[f"p{i}"] = Piece.from_wire(
            {
                "id": f"p{i}",
                "modelId": asset.id,
                "x": 40 + (i % per_row) * (width - 80) / max(1, per_row - 1),
                "y": 40 + (i // per_row) * (depth - 80) / max(1, rows - 1),
                "z": 0.0,
                "rotation": (i * 90) % 360,
                "scale": 1.0,
            }
        )
    return pieces


def scene(
    assets: list[LibraryAsset], count: int, meshes: MeshCache
) -> tuple[pv.Plotter, TableScene]:
    plotter = pv.Plotter(off_screen=True, window_size=list(SIZE))
    lookup = {a.id: a for a in assets}
    table = TableScene(plotter, lookup.get, meshes)
    table.set_table(*TABLE, 100.0)
    table.set_pieces(layout(assets, count))
    table.view_perspective()
    return plotter, table


def overview(table: TableScene) -> None:
    table.view_perspective()


def eye_height(table: TableScene) -> None:
    """A player's eye just off one short end of the table, 60 mm above it, looking across."""
    width, depth = TABLE
    camera = table.plotter.camera
    camera.SetParallelProjection(False)
    camera.SetPosition(-250.0, depth / 2, 60.0)
    camera.SetFocalPoint(width / 2, depth / 2, 0.0)
    camera.SetViewUp(0.0, 0.0, 1.0)
    table.plotter.renderer.ResetCameraClippingRange()
