"""Meshes for display: placed at the origin, and light enough to draw many of."""

import io

import numpy as np
import trimesh

#: Real terrain STLs carry 100,000-450,000 triangles; a table shows dozens of them.
DISPLAY_MAX_TRIANGLES = 40_000


def normalised(mesh: trimesh.Trimesh, *, copy: bool = True) -> trimesh.Trimesh:
    """The mesh standing on z = 0 with its footprint centred on the origin (a copy unless
    `copy` is False).

    Placements on a table then mean the same for every model: x, y is the centre of the
    footprint, z the height of its base.
    """
    moved = mesh.copy() if copy else mesh
    low, high = moved.bounds
    moved.apply_translation([-(low[0] + high[0]) / 2, -(low[1] + high[1]) / 2, -low[2]])
    return moved


def decimated(mesh: trimesh.Trimesh, max_triangles: int = DISPLAY_MAX_TRIANGLES) -> trimesh.Trimesh:
    """The mesh itself when light enough, else a copy within `max_triangles` (merged first,
    so the surface stays whole; see `terrain_meshes.processing` for imports)."""
    from terrain_meshes import lod, repair

    if len(mesh.faces) <= max_triangles:
        return mesh
    return lod.reduced(repair.whole(mesh), max_triangles)


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
