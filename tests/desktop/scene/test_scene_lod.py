"""Level of detail by screen size, in the app's own scene, rendered off-screen.

A real OpenForge tile subdivided to 116,648 triangles stands in for a heavy terrain piece.
"""

import numpy as np
import pytest
import pyvista as pv
import trimesh

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.piece import Piece
from terrain_desktop.scene import lod
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.scene.table_scene import TableScene
from terrain_meshes.display import normalised, to_glb
from tests.shared_testdata import openforge

RED = "#ff0000"


@pytest.fixture(scope="module")
def heavy_asset(tmp_path_factory: pytest.TempPathFactory) -> LibraryAsset:
    tile = trimesh.load(openforge("of_1x1-staggered_curved_line_top.stl"))
    vertices, faces = trimesh.remesh.subdivide(tile.vertices, tile.faces)
    path = tmp_path_factory.mktemp("heavy") / "tile.glb"
    path.write_bytes(to_glb(normalised(trimesh.Trimesh(vertices, faces, process=False))))
    return LibraryAsset(
        id="heavy-tile",
        name="Heavy tile",
        category="tiles",
        tags=(),
        size_mm=(24.6, 24.6, 7.9),
        mesh_path=path,
        thumbnail_path=path,
        colour=RED,
    )


def scene_of(asset: LibraryAsset, pieces: int, meshes: MeshCache) -> TableScene:
    plotter = pv.Plotter(off_screen=True, window_size=(600, 450))
    scene = TableScene(plotter, {asset.id: asset}.get, meshes)
    scene.set_table(1200, 900)
    per_row = int(np.ceil(np.sqrt(pieces)))
    scene.set_pieces(
        {
            f"p{i}": Piece.from_wire(
                {
                    "id": f"p{i}",
                    "modelId": asset.id,
                    "x": 100 + (i % per_row) * 40.0,
                    "y": 100 + (i // per_row) * 40.0,
                }
            )
            for i in range(pieces)
        }
    )
    return scene


def red_pixels(scene: TableScene) -> int:
    scene.plotter.ren_win.Render()
    image = np.asarray(scene.plotter.screenshot(return_img=True)).astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    return int(((r > 40) & (r > 2 * g) & (r > 2 * b)).sum())


def look_at_first_piece(scene: TableScene, distance: float) -> None:
    camera = scene.plotter.camera
    camera.focal_point = (100.0, 100.0, 4.0)
    camera.position = (100.0, 100.0 - distance * 0.7, 4.0 + distance * 0.7)
    camera.up = (0.0, 0.0, 1.0)
    scene.plotter.renderer.ResetCameraClippingRange()


def test_a_table_of_heavy_pieces_draws_a_budget_not_their_sum(heavy_asset: LibraryAsset) -> None:
    scene = scene_of(heavy_asset, 60, MeshCache())
    scene.view_perspective()

    visible = red_pixels(scene)

    top = scene.lod._pieces[id(scene.actors["p0"])].triangles[0]
    assert 60 * top > 1_000_000  # their sum at the display tier
    assert scene.lod.drawn_triangles() <= lod.SCENE_BUDGET
    assert visible > 60 * 20  # every piece still shows (a few dozen pixels each at this view)
    scene.plotter.close()


def test_zooming_in_switches_tiers_and_never_pops_a_piece_out(heavy_asset: LibraryAsset) -> None:
    with_lod = scene_of(heavy_asset, 1, MeshCache())
    full = scene_of(heavy_asset, 1, MeshCache(lod_triangles=None))
    tiers = []
    for distance in (2000.0, 1000.0, 500.0, 250.0, 120.0, 60.0):
        for scene in (with_lod, full):
            look_at_first_piece(scene, distance)
        shown, expected = red_pixels(with_lod), red_pixels(full)
        tiers.append(with_lod.lod.tier_of(with_lod.actors["p0"]))
        assert expected > 0
        assert shown == pytest.approx(expected, rel=0.06), f"at {distance} mm (tier {tiers[-1]})"

    assert tiers == sorted(tiers, reverse=True)  # closer: never a coarser tier
    assert len(set(tiers)) >= 3 and tiers[-1] == 0
    with_lod.plotter.close()
    full.plotter.close()
