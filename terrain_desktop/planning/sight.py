"""Line of sight between the cells of a table, on the real meshes.

The table is cut into square cells (1 inch by default). A model stands at each cell's centre
on whatever surface is there (the table, or the top of a piece) with its eye `eye` mm above
it; two cells see each other when the segment between the two eyes meets no triangle of any
piece. That is the exact question, asked of Intel Embree (through `embreex`), a ray tracer
built for millions of such queries: a 6 x 4 ft table at 1 inch is 3,456 cells and 5.97 million
pairs, answered in a few seconds (see `benchmarks/planning_los.py`).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from embreex import rtcore_scene
from embreex.mesh_construction import TriangleMesh

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.raycast import shared_device, surface_heights

DEFAULT_CELL = MM_PER_INCH
DEFAULT_EYE = 30.0
#: Rays per call into Embree (about): big enough to amortise the call, small for memory.
BATCH = 250_000


def _soup(piece: PlacedPiece, floor: float) -> np.ndarray:
    """The piece's triangles that reach `floor` or above, where it stands (float32)."""
    local = np.asarray(piece.mesh.vertices, dtype=np.float64)
    faces = np.asarray(piece.mesh.faces)
    reach = (floor - piece.z) / piece.scale - 1e-3
    tall = faces[local[faces][:, :, 2].max(axis=1) >= reach]
    m = piece.matrix()
    soup: np.ndarray = (local[tall] @ m[:3, :3].T + m[:3, 3]).astype(np.float32)
    return soup


class RayScene:
    """The pieces of a table that can stand in the way of eyes at least `floor` mm up.

    A segment between two eyes never dips below the lower eye, and no eye is lower than
    `floor` (the eye height over the bare table), so triangles entirely below `floor` can
    never block one: they are left out, which is exact and makes the scene several times
    smaller (floor tiles and wall bases drop out at infantry height). Where eyes stand is
    asked of each asset's own full mesh instead (`raycast.asset_scene`).
    """

    def __init__(
        self,
        table: TableLayout,
        floor: float = 0.0,
        soups_cache: dict[tuple[object, ...], np.ndarray] | None = None,
    ) -> None:
        """`soups_cache` keeps each placed piece's triangles between scenes of the same
        pieces (the "suggest one move" search builds hundreds that differ by one piece)."""
        self.table = table
        cache = {} if soups_cache is None else soups_cache
        soups = []
        for piece in table.pieces:
            key = (id(piece.mesh), piece.x, piece.y, piece.z, piece.rotation, piece.scale, floor)
            if key not in cache:
                cache[key] = _soup(piece, floor)
            if len(cache[key]):
                soups.append(cache[key])
        self.triangles = sum(len(soup) for soup in soups)
        self._scene = rtcore_scene.EmbreeScene(shared_device())
        if soups:
            TriangleMesh(self._scene, np.concatenate(soups))
            # Built now, on this thread, not by whichever of the query threads comes first.
            ray = np.array([[0, 0, 0]], np.float32), np.array([[0, 0, 1]], np.float32)
            self._scene.run(*ray, dists=np.ones(1, np.float32), query="OCCLUDED")

    def surface(self, xy: np.ndarray) -> np.ndarray:
        """The height of the highest surface at each x, y (0 where only the table is)."""
        return surface_heights(self.table.pieces, xy)

    def visibility(self, points: np.ndarray) -> np.ndarray:
        """(N, N) booleans: whether the segment between each two points is clear.

        Each pair is asked once (sight is symmetric), a block of rows at a time, the blocks
        spread over threads: Embree answers queries on one scene from several threads at
        once, outside the GIL.
        """
        count = len(points)
        clear = np.zeros((count, count), dtype=bool)
        points = points.astype(np.float32)
        rows_per_block = max(1, BATCH // max(count, 1))

        def ask(top: int) -> None:
            rows = np.arange(top, min(top + rows_per_block, count))
            first = np.repeat(rows, count)
            second = np.tile(np.arange(count), len(rows))
            upper = second > first
            a = points[first[upper]]
            direction = points[second[upper]] - a
            length = np.sqrt((direction * direction).sum(axis=1))
            direction /= np.maximum(length, 1e-6)[:, None]
            if self.triangles:
                hits = np.asarray(self._scene.run(a, direction, dists=length, query="OCCLUDED"))
            else:
                hits = np.full(len(a), -1)
            block = np.zeros(len(first), dtype=bool)
            block[upper] = hits == -1
            clear[rows] = block.reshape(len(rows), count)

        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            list(pool.map(ask, range(0, count, rows_per_block)))
        visible: np.ndarray = clear | clear.T
        np.fill_diagonal(visible, True)
        return visible


@dataclass(frozen=True)
class CellGrid:
    """Square cells over the table; cell k is column k % columns, row k // columns."""

    width: float
    depth: float
    cell: float = DEFAULT_CELL

    @property
    def columns(self) -> int:
        return max(1, int(self.width / self.cell + 1e-6))

    @property
    def rows(self) -> int:
        return max(1, int(self.depth / self.cell + 1e-6))

    @property
    def count(self) -> int:
        return self.columns * self.rows

    @cached_property
    def centres(self) -> np.ndarray:
        """(count, 2) cell centres; the cells are centred on the table when it is not a multiple."""
        margin_x = (self.width - self.columns * self.cell) / 2
        margin_y = (self.depth - self.rows * self.cell) / 2
        xs = margin_x + (np.arange(self.columns) + 0.5) * self.cell
        ys = margin_y + (np.arange(self.rows) + 0.5) * self.cell
        grid_x, grid_y = np.meshgrid(xs, ys)
        return np.column_stack([grid_x.ravel(), grid_y.ravel()])

    def cell_at(self, x: float, y: float) -> int | None:
        distances = np.abs(self.centres - (x, y)).max(axis=1)
        nearest = int(np.argmin(distances))
        return nearest if distances[nearest] <= self.cell / 2 else None


@dataclass(frozen=True)
class SightMap:
    """Which cells see which, at one eye height."""

    grid: CellGrid
    eye: float
    eyes: np.ndarray
    """(count, 3) eye positions."""
    visible: np.ndarray
    """(count, count) booleans, symmetric; a cell sees itself."""

    @cached_property
    def coverage(self) -> np.ndarray:
        """Per cell, the share of the other cells it sees (0..1): the heat map."""
        others = max(1, self.grid.count - 1)
        shares: np.ndarray = (self.visible.sum(axis=1) - 1) / others
        return shares

    def seen_from(self, cell: int) -> np.ndarray:
        row: np.ndarray = self.visible[cell]
        return row


def eye_positions(scene: RayScene, grid: CellGrid, eye: float) -> np.ndarray:
    ground = scene.surface(grid.centres)
    return np.column_stack([grid.centres, ground + eye])


def sight_map(
    table: TableLayout,
    eye: float = DEFAULT_EYE,
    cell: float = DEFAULT_CELL,
    scene: RayScene | None = None,
) -> SightMap:
    """Every pair of cells, each pair asked once (sight is symmetric)."""
    scene = scene or RayScene(table, floor=eye)
    grid = CellGrid(table.width, table.depth, cell)
    eyes = eye_positions(scene, grid, eye)
    return SightMap(grid, eye, eyes, scene.visibility(eyes))
