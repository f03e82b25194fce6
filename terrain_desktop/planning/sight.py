"""Line of sight between the cells of a table, on the real meshes.

The table is cut into square cells (1 inch by default). A model stands at each cell's centre
on whatever surface is there (the table, or the top of a piece) with its eye `eye` mm above
it; two cells see each other when the segment between the two eyes meets no triangle of any
piece. That is the exact question, asked of Intel Embree (through `embreex`), a ray tracer
built for millions of such queries: a 6 x 4 ft table at 1 inch is 3,456 cells and 5.97 million
pairs, answered in a few seconds (see `benchmarks/planning_los.py`).
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from embreex import rtcore_scene
from embreex.mesh_construction import TriangleMesh

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import TableLayout

DEFAULT_CELL = MM_PER_INCH
DEFAULT_EYE = 30.0
#: Rays per call into Embree: big enough to amortise the call, small enough for memory.
BATCH = 500_000
_ABOVE = 10_000.0


class RayScene:
    """Every piece of a table as one Embree scene: segment and downward-ray queries."""

    def __init__(self, table: TableLayout) -> None:
        vertices, faces, offset = [], [], 0
        for piece in table.pieces:
            vertices.append(piece.vertices)
            faces.append(np.asarray(piece.mesh.faces) + offset)
            offset += len(piece.vertices)
        self.empty = offset == 0
        self._scene = rtcore_scene.EmbreeScene()
        if not self.empty:
            TriangleMesh(
                self._scene,
                np.concatenate(vertices).astype(np.float32),
                np.concatenate(faces).astype(np.int32),
            )

    def surface(self, xy: np.ndarray) -> np.ndarray:
        """The height of the highest surface at each x, y (0 where only the table is)."""
        if self.empty:
            return np.zeros(len(xy))
        origins = np.column_stack([xy, np.full(len(xy), _ABOVE)]).astype(np.float32)
        down = np.tile(np.array([0, 0, -1], np.float32), (len(xy), 1))
        hit = self._scene.run(origins, down, output=1)["tfar"].astype(np.float64)
        return np.where(hit < _ABOVE * 2, np.maximum(_ABOVE - hit, 0.0), 0.0)

    def blocked(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Whether each segment start→end meets a triangle."""
        result = np.zeros(len(starts), dtype=bool)
        if self.empty:
            return result
        for low in range(0, len(starts), BATCH):
            a, b = starts[low : low + BATCH], ends[low : low + BATCH]
            direction = b - a
            length = np.linalg.norm(direction, axis=1)
            direction /= np.maximum(length, 1e-9)[:, None]
            hits = self._scene.run(
                a.astype(np.float32),
                direction.astype(np.float32),
                dists=length.astype(np.float32),
                query="OCCLUDED",
            )
            result[low : low + BATCH] = np.asarray(hits) != -1
        return result


@dataclass(frozen=True)
class CellGrid:
    """Square cells over the table; cell k is column k % columns, row k // columns."""

    width: float
    depth: float
    cell: float = DEFAULT_CELL

    @property
    def columns(self) -> int:
        return max(1, int(self.width // self.cell))

    @property
    def rows(self) -> int:
        return max(1, int(self.depth // self.cell))

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
    scene = scene or RayScene(table)
    grid = CellGrid(table.width, table.depth, cell)
    eyes = eye_positions(scene, grid, eye)
    first, second = np.triu_indices(grid.count, 1)
    blocked = scene.blocked(eyes[first], eyes[second])
    visible = np.eye(grid.count, dtype=bool)
    visible[first[~blocked], second[~blocked]] = True
    visible[second[~blocked], first[~blocked]] = True
    return SightMap(grid, eye, eyes, visible)


def seen_from_cell(
    table: TableLayout,
    cell_index: int,
    eye: float = DEFAULT_EYE,
    cell: float = DEFAULT_CELL,
    scene: RayScene | None = None,
) -> np.ndarray:
    """What one cell sees (a click on the heat map): one ray per other cell."""
    scene = scene or RayScene(table)
    grid = CellGrid(table.width, table.depth, cell)
    eyes = eye_positions(scene, grid, eye)
    seen = ~scene.blocked(np.repeat(eyes[cell_index : cell_index + 1], grid.count, 0), eyes)
    seen[cell_index] = True
    return seen
