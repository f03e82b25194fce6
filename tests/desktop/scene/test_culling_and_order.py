"""Back faces are culled only where they can never show; pieces are drawn nearest first."""

import pyvista as pv

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.piece import Piece
from terrain_desktop.scene.closed import back_faces_hidden
from terrain_desktop.scene.table_scene import TableScene


def test_only_closed_outward_surfaces_hide_their_back_faces() -> None:
    ball = pv.Sphere().triangulate()
    assert back_faces_hidden(ball)
    assert not back_faces_hidden(ball.flip_faces())  # inside out: the back faces are outside
    assert not back_faces_hidden(pv.Plane().triangulate())  # open
    holed = ball.remove_cells([0])
    assert not back_faces_hidden(holed)  # one triangle missing: a hole to look through
    split = ball.compute_normals(split_vertices=True, feature_angle=10)
    assert back_faces_hidden(split)  # split copies of points for shading are welded back


def test_pieces_are_drawn_nearest_first_and_the_table_last() -> None:
    plotter = pv.Plotter(off_screen=True, window_size=(400, 300))
    library = bundled_library()
    asset = next(iter(library.values()))
    scene = TableScene(plotter, library.get)
    scene.set_table(1200, 900)
    scene.set_pieces(
        {f"p{i}": Piece(id=f"p{i}", asset_id=asset.id, x=100 + 100 * i, y=450) for i in range(8)}
    )
    camera = plotter.camera
    camera.position, camera.focal_point, camera.up = (-500, 450, 100), (600, 450, 0), (0, 0, 1)
    plotter.ren_win.Render()

    drawn = list(plotter.renderer.GetViewProps())
    pieces = [p for p in drawn if any(p is a for a in scene.actors.values())]
    assert [p.GetPosition()[0] for p in pieces] == sorted(p.GetPosition()[0] for p in pieces)
    assert all(any(p is t for t in drawn[-2:]) for p in scene._table_actors)
    plotter.close()
