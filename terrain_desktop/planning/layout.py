"""A table as the planning tools see it: its size and its pieces with their real meshes.

Meshes are in millimetres, Z up, standing on z = 0 with the footprint centred on the origin
(see `terrain_meshes.display.normalised`); a piece places one at x, y, z, turned by `rotation`
degrees about Z and scaled by `scale`, exactly as the 3D scene draws it.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # trimesh (and networkx) take most of a second to import: loaded by the
    import trimesh  # first mesh read, on a worker thread, not with the window at start-up

from terrain_desktop.domain.catalogue import LibraryAsset


@dataclass(frozen=True)
class PlacedPiece:
    id: str
    asset_id: str
    name: str
    x: float
    y: float
    z: float
    rotation: float
    scale: float
    mesh: "trimesh.Trimesh" = field(repr=False, compare=False)
    """The asset's mesh in its own frame (shared by every piece of the asset)."""
    colour: str = "#999999"
    thumbnail: Path | None = None

    def matrix(self) -> np.ndarray:
        angle = math.radians(self.rotation)
        cos, sin, s = math.cos(angle), math.sin(angle), self.scale
        return np.array(
            [
                [cos * s, -sin * s, 0.0, self.x],
                [sin * s, cos * s, 0.0, self.y],
                [0.0, 0.0, s, self.z],
                [0.0, 0.0, 0.0, 1.0],
            ]
        )

    @cached_property
    def vertices(self) -> np.ndarray:
        """The mesh's vertices where the piece stands on the table."""
        local = np.asarray(self.mesh.vertices, dtype=np.float64)
        m = self.matrix()
        placed: np.ndarray = local @ m[:3, :3].T + m[:3, 3]
        return placed

    @cached_property
    def top(self) -> float:
        return float(self.vertices[:, 2].max())

    @cached_property
    def bottom(self) -> float:
        return float(self.vertices[:, 2].min())


@dataclass(frozen=True)
class TableLayout:
    name: str
    width: float
    depth: float
    pieces: tuple[PlacedPiece, ...]

    def piece(self, piece_id: str) -> PlacedPiece:
        return next(p for p in self.pieces if p.id == piece_id)


class MeshLoader:
    """Loads each asset's mesh once, the way the scene does (so both see the same geometry)."""

    def __init__(self) -> None:
        self._meshes: dict[Path, trimesh.Trimesh] = {}

    def __call__(self, path: Path) -> "trimesh.Trimesh":
        if path not in self._meshes:
            import trimesh

            self._meshes[path] = trimesh.load(path, force="mesh", process=False)
        return self._meshes[path]


def layout_from_placements(
    name: str,
    width: float,
    depth: float,
    placements: Iterable[Mapping[str, Any]],
    assets: Callable[[str], LibraryAsset | None],
    meshes: "Callable[[Path], trimesh.Trimesh] | None" = None,
) -> TableLayout:
    """The planning view of stored placements; pieces whose asset is unknown are left out."""
    load = meshes or MeshLoader()
    pieces = []
    for placement in placements:
        asset = assets(str(placement["modelId"]))
        if asset is None or not asset.mesh_path.exists():
            continue
        pieces.append(
            PlacedPiece(
                id=str(placement["id"]),
                asset_id=asset.id,
                name=asset.name,
                x=float(placement["x"]),
                y=float(placement["y"]),
                z=float(placement.get("z") or 0.0),
                rotation=float(placement.get("rotation") or 0.0),
                scale=float(placement.get("scale") or 1.0),
                mesh=load(asset.mesh_path),
                colour=asset.colour,
                thumbnail=asset.thumbnail_path if asset.thumbnail_path.exists() else None,
            )
        )
    return TableLayout(name, float(width), float(depth), tuple(pieces))
