"""The fast display-mesh reader sees the same triangles as trimesh, and declines what it
does not understand (so the full loader takes over)."""

import io
from pathlib import Path

import numpy as np
import trimesh

from terrain_desktop.scene import glb
from terrain_desktop.scene.meshes import MeshCache
from terrain_meshes.display import normalised, to_glb


def test_our_display_meshes_read_the_same_as_with_trimesh(tmp_path: Path) -> None:
    rock = normalised(trimesh.creation.icosphere(subdivisions=2, radius=12.0))
    path = tmp_path / "rock.glb"
    path.write_bytes(to_glb(rock))

    read = glb.read_triangles(path)

    assert read is not None
    vertices, triangles = read
    expected = trimesh.load(path, force="mesh", process=False)
    assert np.allclose(vertices[triangles], expected.vertices[expected.faces])
    assert MeshCache().get(path).n_cells == len(expected.faces)


def test_a_glb_with_node_transforms_is_left_to_the_full_loader(tmp_path: Path) -> None:
    scene = trimesh.Scene()
    scene.add_geometry(trimesh.creation.box(), transform=trimesh.transformations.scale_matrix(2))
    buffer = io.BytesIO()
    scene.export(buffer, file_type="glb")
    path = tmp_path / "moved.glb"
    path.write_bytes(buffer.getvalue())

    assert glb.read_triangles(path) is None
    assert MeshCache().get(path).bounds[1] - MeshCache().get(path).bounds[0] == 2.0
