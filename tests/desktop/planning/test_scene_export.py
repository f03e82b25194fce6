"""The table as one GLB scene: read back as Blender or a browser viewer reads it."""

import io

import numpy as np
import trimesh

from terrain_desktop.planning.scene_export import MAT_COLOUR, Y_UP, glb_bytes, hex_rgb
from terrain_desktop.scene.look import MAT_COLOUR as VIEW_MAT_COLOUR

from .tables import sample_table


def test_one_node_per_piece_where_it_stands_painted_its_colour() -> None:
    layout = sample_table()

    scene = trimesh.load(io.BytesIO(glb_bytes(layout)), file_type="glb")

    nodes = set(scene.graph.nodes_geometry)
    assert nodes == {"Table"} | {f"{p.name} {n}" for n, p in enumerate(layout.pieces, 1)}
    for number, piece in enumerate(layout.pieces, start=1):
        transform, geometry = scene.graph[f"{piece.name} {number}"]
        assert np.allclose(transform, Y_UP @ piece.matrix(), atol=1e-4)
        material = scene.geometry[geometry].visual.material
        assert tuple(material.baseColorFactor[:3]) == hex_rgb(piece.colour)
        assert material.name == piece.name
    # copies of one asset share one mesh: the file holds each asset once
    assert len(scene.geometry) == 1 + len({p.asset_id for p in layout.pieces})


def test_the_mat_lies_flat_under_the_pieces_in_its_colour() -> None:
    layout = sample_table()
    scene = trimesh.load(io.BytesIO(glb_bytes(layout)), file_type="glb")

    transform, geometry = scene.graph["Table"]
    mat = scene.geometry[geometry].copy().apply_transform(transform)
    assert np.allclose(mat.extents, (1200, 2, 900), atol=1e-3)  # Y up: the table's depth is Z
    assert abs(mat.bounds[1][1]) < 1e-6  # its top at the floor the pieces stand on
    assert tuple(scene.geometry[geometry].visual.material.baseColorFactor[:3]) == MAT_COLOUR
    assert MAT_COLOUR == VIEW_MAT_COLOUR  # the colour the 3D view paints it
