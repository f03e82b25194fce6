"""Display meshes, loaded once per asset and shared by every piece that shows it.

Heavy meshes get a lighter level of detail: on a software renderer the frame time follows
the triangle count (see benchmarks/RESULTS.md), and real terrain carries 100,000+ triangles a piece.
"""

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv

from terrain_desktop.scene import glb
from terrain_desktop.store.mesh_cache import DRAWN_TRIANGLES

if TYPE_CHECKING:
    import trimesh

    from terrain_desktop.domain.catalogue import LibraryAsset

#: Triangles a piece is drawn with at most; the full mesh stays on disk for export.
LOD_TRIANGLES = DRAWN_TRIANGLES


def polydata(mesh: "trimesh.Trimesh") -> pv.PolyData:
    return _polydata(np.asarray(mesh.vertices, dtype=np.float32), np.asarray(mesh.faces))


def _polydata(vertices: np.ndarray, triangles: np.ndarray) -> pv.PolyData:
    faces = np.hstack([np.full((len(triangles), 1), 3), triangles]).ravel()
    return pv.PolyData(vertices, faces)


class MeshCache:
    def __init__(self, lod_triangles: int | None = LOD_TRIANGLES) -> None:
        self.lod_triangles = lod_triangles
        self._meshes: dict[Path, pv.PolyData] = {}
        self._tiers: dict[Path, list[pv.PolyData]] = {}

    def get(self, path: Path) -> pv.PolyData:
        if path not in self._meshes:
            self._meshes[path] = self._load(path).compute_normals(
                split_vertices=True, feature_angle=40, auto_orient_normals=False
            )
        return self._meshes[path]

    def _load(self, path: Path) -> pv.PolyData:
        """Our own light display meshes directly; anything else through trimesh (imported
        only then: it costs a second of start-up)."""
        plain = glb.read_triangles(path) if path.suffix.lower() == ".glb" else None
        if plain is not None and (
            self.lod_triangles is None or len(plain[1]) <= self.lod_triangles
        ):
            return _polydata(*plain)
        import trimesh

        from terrain_meshes.display import decimated

        mesh = trimesh.load(path, force="mesh", process=False)
        if self.lod_triangles is not None:
            mesh = decimated(mesh, self.lod_triangles)
        return polydata(mesh)

    def asset_tiers(self, asset: "LibraryAsset") -> list[pv.PolyData]:
        """The asset's tiers, densest first: a server asset's ladder as the server built it
        (each tier read as it is, never rebuilt here), else the ladder of its one mesh."""
        if not asset.tier_paths or self.lod_triangles is None:
            return self.tiers(asset.mesh_path)
        key = asset.tier_paths[0]
        if key not in self._tiers:
            self._tiers[key] = [self.get(path) for path in asset.tier_paths]
        return self._tiers[key]

    def tiers(self, path: Path) -> list[pv.PolyData]:
        """The mesh's level-of-detail tiers, densest first (just the one mesh without LOD)."""
        if path not in self._tiers:
            if self.lod_triangles is None:
                self._tiers[path] = [self.get(path)]
            else:
                from terrain_desktop.scene import ladder_cache
                from terrain_meshes.budgets import LADDER

                budgets = (self.lod_triangles, *(b for b in LADDER if b < self.lod_triangles))
                tiers = ladder_cache.load(path, budgets)
                if tiers is None:
                    from terrain_desktop.scene.lod import ladder

                    tiers = ladder(path, budgets)
                    ladder_cache.save(path, budgets, tiers)
                self._tiers[path] = tiers
        return self._tiers[path]
