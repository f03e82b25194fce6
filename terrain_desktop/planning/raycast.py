"""Embree scenes, built once per asset mesh (in the asset's own frame) and shared: footprints
sample them from above, and the eyes of the sight map stand on what they hit."""

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np
from embreex import rtcore, rtcore_scene
from embreex.mesh_construction import TriangleMesh

from terrain_desktop.planning.layout import PlacedPiece

if TYPE_CHECKING:  # trimesh loads with the first mesh, not with the docks at start-up
    import trimesh

_scenes: "dict[int, tuple[trimesh.Trimesh, AssetScene]]" = {}
_device: rtcore.EmbreeDevice | None = None
_device_lock = threading.Lock()
_scenes_lock = threading.Lock()


def shared_device() -> rtcore.EmbreeDevice:
    """One Embree device for every scene, as Embree asks: a scene made without one makes a
    device of its own (with its own threads and memory), and the app keeps a scene per asset.
    Made once even when the checks (GUI thread) and the sight map (a worker) start together."""
    global _device
    with _device_lock:
        if _device is None:
            _device = rtcore.EmbreeDevice()
        return _device


class AssetScene:
    def __init__(self, mesh: "trimesh.Trimesh") -> None:
        self._scene = rtcore_scene.EmbreeScene(shared_device())
        TriangleMesh(
            self._scene,
            np.asarray(mesh.vertices, dtype=np.float32),
            np.asarray(mesh.faces, dtype=np.int32),
        )
        self.above = float(mesh.bounds[1][2]) + 10.0
        # Embree builds a scene on its first query; ask one here, so the scene is built by
        # the thread that made it, before any other thread (checks, sight map) can query it.
        self.top(np.zeros((1, 2)))

    def top(self, xy: np.ndarray) -> np.ndarray:
        """The height of the mesh's highest surface over each x, y (NaN where there is none)."""
        origins = np.column_stack([xy, np.full(len(xy), self.above)]).astype(np.float32)
        down = np.tile(np.array([0, 0, -1], np.float32), (len(xy), 1))
        hit = self._scene.run(origins, down, output=1)
        distance = np.asarray(hit["tfar"], dtype=np.float64)
        tops: np.ndarray = np.where(np.asarray(hit["geomID"]) != -1, self.above - distance, np.nan)
        return tops


def asset_scene(mesh: "trimesh.Trimesh") -> AssetScene:
    """The mesh's scene, made once: the checks and the sight map work on threads of their own
    and may ask for the same asset at the same time."""
    with _scenes_lock:
        cached = _scenes.get(id(mesh))
        if cached is None or cached[0] is not mesh:
            cached = (mesh, AssetScene(mesh))
            _scenes[id(mesh)] = cached
        return cached[1]


def piece_tops(
    pieces: Iterable[PlacedPiece], xy: np.ndarray
) -> Iterator[tuple[PlacedPiece, np.ndarray, np.ndarray]]:
    """For each piece over some of the points `xy`: the piece, those points' indices, and the
    height of its top surface there (NaN where the ray misses it)."""
    for piece in pieces:
        m = piece.matrix()
        corners = np.array(piece.mesh.bounds)[:, :2]
        box = np.array([[x, y, 0.0] for x in corners[:, 0] for y in corners[:, 1]])
        placed = box @ m[:3, :3].T + m[:3, 3]
        low, high = placed[:, :2].min(axis=0), placed[:, :2].max(axis=0)
        inside = np.flatnonzero(((xy >= low) & (xy <= high)).all(axis=1))
        if not inside.size:
            continue
        local = (xy[inside] - m[:2, 3]) @ np.linalg.inv(m[:2, :2]).T
        yield piece, inside, asset_scene(piece.mesh).top(local) * piece.scale + piece.z


def surface_heights(pieces: Iterable[PlacedPiece], xy: np.ndarray) -> np.ndarray:
    """The height of the highest surface of `pieces` at each x, y (0 where there is none)."""
    top = np.zeros(len(xy))
    for _, inside, heights in piece_tops(pieces, xy):
        found = ~np.isnan(heights)
        top[inside[found]] = np.maximum(top[inside[found]], heights[found])
    return top
