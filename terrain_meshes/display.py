"""Meshes for display: placed at the origin, and light enough to draw many of."""

import io

import numpy as np
import trimesh

#: Real terrain STLs carry 100,000-450,000 triangles; a table shows dozens of them.
DISPLAY_MAX_TRIANGLES = 40_000


def normalised(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """A copy standing on z = 0 with its footprint centred on the origin.

    Placements on a table then mean the same for every model: x, y is the centre of the
    footprint, z the height of its base.
    """
    copy = mesh.copy()
    low, high = copy.bounds
    copy.apply_translation([-(low[0] + high[0]) / 2, -(low[1] + high[1]) / 2, -low[2]])
    return copy


def decimated(mesh: trimesh.Trimesh, max_triangles: int = DISPLAY_MAX_TRIANGLES) -> trimesh.Trimesh:
    """The mesh itself when light enough, else a quadric-decimated copy near `max_triangles`."""
    if len(mesh.faces) <= max_triangles:
        return mesh
    reduced = mesh.simplify_quadric_decimation(face_count=max_triangles)
    # The decimator aims near its target; never hand back more than asked for by much.
    if len(reduced.faces) > max_triangles * 1.5:
        reduced = reduced.simplify_quadric_decimation(face_count=int(max_triangles * 0.7))
    return reduced


def to_glb(mesh: trimesh.Trimesh) -> bytes:
    """GLB bytes of the mesh, in millimetres with Z up (the app's convention)."""
    clean = trimesh.Trimesh(
        vertices=np.asarray(mesh.vertices, dtype=np.float32),
        faces=np.asarray(mesh.faces),
        process=False,
    )
    buffer = io.BytesIO()
    clean.export(buffer, file_type="glb")
    return buffer.getvalue()
