"""Making a loaded mesh whole before anything simplifies it.

STL stores every triangle's three corners separately, so a freshly loaded STL is a heap of
loose triangles that merely touch. A decimator sees each of them as an island with three
boundary edges and either refuses to collapse anything or tears the surface apart. Merging
coincident vertices first turns the heap back into one connected surface; dropping degenerate
and repeated triangles and making the winding consistent keeps normals (and so shading and
quadric error) meaningful.
"""

import numpy as np
import trimesh

#: Corners closer than this fraction of the model's size are the same corner. STL corners that
#: should coincide are bit-identical floats in practice; the tolerance only forgives exporters
#: that round each facet on its own.
MERGE_TOLERANCE = 1e-6

#: Above this many triangles, winding is checked by a sampled volume sign only: a full
#: breadth-first re-winding of a million triangles costs more than the rest of an import.
FULL_WINDING_LIMIT = 300_000


def whole(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The same surface with shared vertices, no degenerate or repeated triangles, outward
    normals (a new mesh; `mesh` is not changed)."""
    vertices, faces = merged(mesh.vertices.view(np.ndarray), mesh.faces.view(np.ndarray))
    keep = (
        (faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])
    )
    keep &= first_of_each(np.sort(faces, axis=1))
    faces = faces[keep]
    used = np.zeros(len(vertices), dtype=bool)
    used[faces] = True
    if not used.all():
        renumber = np.cumsum(used) - 1
        vertices, faces = vertices[used], renumber[faces]
    result = trimesh.Trimesh(vertices=vertices, faces=faces, process=False)
    if len(result.faces) <= FULL_WINDING_LIMIT:
        trimesh.repair.fix_winding(result)
    _face_outward(result)
    return result


def merged(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices with coincident corners made one, and faces renumbered onto them.

    Corners are snapped to a grid of `MERGE_TOLERANCE` times the model's size and packed into
    one 63-bit key each, so finding the distinct ones is a single sort of integers.
    """
    low = vertices.min(axis=0)
    size = float((vertices.max(axis=0) - low).max())
    step = max(size, 1e-12) * MERGE_TOLERANCE
    snapped = np.floor((vertices - low) / step + 0.5).astype(np.int64)
    key = (snapped[:, 0] << 42) | (snapped[:, 1] << 21) | snapped[:, 2]
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.empty(len(ordered), dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    group = np.cumsum(starts) - 1
    inverse = np.empty(len(key), dtype=np.int64)
    inverse[order] = group
    return np.ascontiguousarray(vertices[order[starts]], dtype=np.float64), inverse[faces]


def three_corners(faces: np.ndarray) -> np.ndarray:
    """A mask of the triangles whose three corners are distinct vertices."""
    a, b, c = faces[:, 0], faces[:, 1], faces[:, 2]
    return np.asarray((a != b) & (b != c) & (a != c))


def first_of_each(rows: np.ndarray) -> np.ndarray:
    """A mask keeping the first of every group of identical (sorted) index triples."""
    _, first = np.unique(_packed(rows), return_index=True)
    mask = np.zeros(len(rows), dtype=bool)
    mask[first] = True
    return mask


def single(rows: np.ndarray) -> np.ndarray:
    """A mask of the (sorted) index triples that occur once. Where clustering folds a surface
    onto itself it leaves a triangle twice, facing both ways: a fin of no volume whose edges
    would join four faces; dropping every copy keeps the surface closed."""
    _, inverse, counts = np.unique(_packed(rows), return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.ravel()] == 1)


def _packed(rows: np.ndarray) -> np.ndarray:
    """One sortable key per row of three indices."""
    if int(rows.max(initial=0)) >= (1 << 21):
        return np.ascontiguousarray(rows).view(np.dtype((np.void, rows.itemsize * 3))).ravel()
    wide = rows.astype(np.int64)
    return np.asarray((wide[:, 0] << 42) | (wide[:, 1] << 21) | wide[:, 2])


def _face_outward(mesh: trimesh.Trimesh) -> None:
    """Flip every triangle when the surface as a whole faces inward (negative signed volume).

    Signed volume is meaningful for closed surfaces and still a good majority vote for the
    nearly closed ones terrain files usually are; an open sheet (volume ~ 0) is left alone.
    """
    vertices = mesh.vertices.view(np.ndarray)
    corners = (vertices - vertices.mean(axis=0))[mesh.faces]
    crossed = np.cross(corners[:, 1], corners[:, 2])
    signed = float(np.einsum("ij,ij->i", corners[:, 0], crossed).sum())
    box = float(np.prod(np.maximum(mesh.extents, 1e-9)))
    if signed / 6.0 < -0.01 * box:
        mesh.invert()
