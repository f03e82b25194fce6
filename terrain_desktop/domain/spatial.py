"""Which pieces stand at a point, without looking at every piece: a uniform grid of cells.

Each footprint is filed under the cells it covers, so a stacking query reads one cell, and
placing or moving a piece refiles that piece alone. A move therefore costs the same on a
1,000-piece table as on a 10-piece one.
"""

import math
from collections import defaultdict
from collections.abc import Iterator

from terrain_desktop.domain.geometry import Footprint

CELL_MM = 100.0


class FootprintIndex:
    def __init__(self, cell: float = CELL_MM) -> None:
        self.cell = cell
        self._cells: defaultdict[tuple[int, int], dict[str, Footprint]] = defaultdict(dict)
        self._filed: dict[str, tuple[Footprint, list[tuple[int, int]]]] = {}

    def __len__(self) -> int:
        return len(self._filed)

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return math.floor(x / self.cell), math.floor(y / self.cell)

    def put(self, key: str, footprint: Footprint | None) -> None:
        self.remove(key)
        if footprint is None:
            return
        x0, y0 = self._key(footprint.x - footprint.half_width, footprint.y - footprint.half_depth)
        x1, y1 = self._key(footprint.x + footprint.half_width, footprint.y + footprint.half_depth)
        cells = [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]
        for cell in cells:
            self._cells[cell][key] = footprint
        self._filed[key] = (footprint, cells)

    def remove(self, key: str) -> None:
        filed = self._filed.pop(key, None)
        if filed is None:
            return
        for cell in filed[1]:
            pieces = self._cells[cell]
            pieces.pop(key, None)
            if not pieces:
                del self._cells[cell]

    def at(self, x: float, y: float) -> Iterator[tuple[str, Footprint]]:
        """The footprints that contain x, y."""
        for key, footprint in self._cells.get(self._key(x, y), {}).items():
            if footprint.contains(x, y):
                yield key, footprint

    def get(self, key: str) -> Footprint | None:
        filed = self._filed.get(key)
        return None if filed is None else filed[0]
