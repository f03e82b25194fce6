"""Checks on a loaded mesh before anything (VTK, a GLB writer, the decimator) is given it.

trimesh with `process=False` hands back whatever the file said: a PLY face `3 0 1 -1` becomes
an index numpy wraps around and VTK reads out of bounds (a segfault), and coordinates that are
finite in the file can overflow once scaled to millimetres (3e38 inches) or once written as
the float32 a GLB holds.
"""

import numpy as np
import trimesh

from terrain_meshes.errors import MeshError, MeshProblem

#: No terrain piece is larger than this (in millimetres, after unit scaling): 10 metres.
MAX_EXTENT_MM = 10_000.0
#: Float32 (what GLB and VTK store) loses all precision long before this.
FLOAT32_SAFE = 1e30


def check_loaded(mesh: trimesh.Trimesh, max_triangles: int) -> None:
    """Refuse a mesh whose faces or vertices cannot be trusted, in file units."""
    faces = np.asarray(mesh.faces)
    vertices = np.asarray(mesh.vertices)
    if len(faces) == 0 or len(vertices) == 0:
        raise MeshError(MeshProblem.EMPTY, "This file holds no triangles.")
    if len(faces) > max_triangles:
        raise MeshError(
            MeshProblem.TOO_MANY_TRIANGLES,
            f"The model has {len(faces):,} triangles; at most {max_triangles:,} are accepted.",
        )
    if vertices.ndim != 2 or vertices.shape[1] != 3:
        raise MeshError(MeshProblem.NOT_A_MESH, "The vertices of this file are not 3D points.")
    if faces.ndim != 2 or faces.shape[1] != 3 or not np.issubdtype(faces.dtype, np.integer):
        raise MeshError(MeshProblem.NOT_A_MESH, "The faces of this file are not triangles.")
    low, high = int(faces.min()), int(faces.max())
    if low < 0 or high >= len(vertices):
        raise MeshError(
            MeshProblem.NOT_A_MESH,
            f"Some faces refer to vertices that do not exist (the file has {len(vertices):,} "
            f"vertices, a face uses index {low if low < 0 else high}).",
        )
    check_finite(vertices)


def check_finite(vertices: np.ndarray) -> None:
    if not np.isfinite(vertices).all():
        raise MeshError(
            MeshProblem.NON_FINITE, "Some vertices are not finite numbers (NaN or infinity)."
        )
    if vertices.size and float(np.abs(vertices).max()) > FLOAT32_SAFE:
        raise MeshError(
            MeshProblem.NON_FINITE, "Some vertex coordinates are too large to be a real model."
        )


def check_scaled(mesh: trimesh.Trimesh) -> tuple[float, float, float]:
    """The mesh's size in millimetres once scaled, refused when not a plausible terrain piece."""
    vertices = np.asarray(mesh.vertices)
    check_finite(vertices)
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    extents = high - low
    if not np.isfinite(extents).all():
        raise MeshError(MeshProblem.NON_FINITE, "The model's size is not a finite number.")
    largest = float(extents.max())
    if largest > MAX_EXTENT_MM:
        raise MeshError(
            MeshProblem.TOO_LARGE,
            f"The model is {largest / 1000:,.1f} m across in the units used; at most "
            f"{MAX_EXTENT_MM / 1000:.0f} m is accepted. Check the units it was drawn in.",
        )
    if largest <= 0.0:
        raise MeshError(MeshProblem.EMPTY, "The model has no size: all its vertices coincide.")
    x, y, z = (round(float(v), 2) for v in extents)
    return (x, y, z)
