"""Deployment zones from the standard layouts, and the numbers players argue about.

- long edges: a strip `depth` deep along each long edge;
- short edges: a strip `depth` deep along each short edge;
- diagonal: two opposite quarters of the table, less everything within `depth` of the centre.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.sight import CellGrid, SightMap


class ZoneLayout(StrEnum):
    LONG_EDGES = "long-edges"
    SHORT_EDGES = "short-edges"
    DIAGONAL = "diagonal"


#: What `depth` means by default: 12" strips; 9" kept clear around the centre for quarters.
DEFAULT_DEPTH = {
    ZoneLayout.LONG_EDGES: 12 * MM_PER_INCH,
    ZoneLayout.SHORT_EDGES: 12 * MM_PER_INCH,
    ZoneLayout.DIAGONAL: 9 * MM_PER_INCH,
}


def zone_masks(
    layout: ZoneLayout, grid: CellGrid, depth: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Which cells (by centre) lie in the first and the second side's zone."""
    depth = DEFAULT_DEPTH[layout] if depth is None else depth
    x, y = grid.centres[:, 0], grid.centres[:, 1]
    w, d = grid.width, grid.depth
    if layout == ZoneLayout.DIAGONAL:
        clear = np.hypot(x - w / 2, y - d / 2) > depth
        return (x < w / 2) & (y < d / 2) & clear, (x > w / 2) & (y > d / 2) & clear
    along_x = (w >= d) == (layout == ZoneLayout.LONG_EDGES)
    if along_x:  # strips along the edges parallel to x: front and back
        return y < depth, y > d - depth
    return x < depth, x > w - depth


def zone_outlines(
    layout: ZoneLayout, width: float, depth_of_table: float, depth: float | None = None
) -> list[list[tuple[float, float]]]:
    """Each zone as a polygon (for drawing): rectangles, or quarters less a circle."""
    depth = DEFAULT_DEPTH[layout] if depth is None else depth
    w, d = width, depth_of_table
    if layout == ZoneLayout.DIAGONAL:
        cx, cy = w / 2, d / 2
        arc_a = [
            (cx - depth * np.sin(t), cy - depth * np.cos(t)) for t in np.linspace(0, np.pi / 2, 12)
        ]
        first = [(0.0, 0.0), (cx, 0.0), *arc_a, (0.0, cy)]
        second = [(w - px, d - py) for px, py in first]
        return [[(float(a), float(b)) for a, b in first], [(float(a), float(b)) for a, b in second]]
    if (w >= d) == (layout == ZoneLayout.LONG_EDGES):
        return [
            [(0.0, 0.0), (w, 0.0), (w, depth), (0.0, depth)],
            [(0.0, d - depth), (w, d - depth), (w, d), (0.0, d)],
        ]
    return [
        [(0.0, 0.0), (depth, 0.0), (depth, d), (0.0, d)],
        [(w - depth, 0.0), (w, 0.0), (w, d), (w - depth, d)],
    ]


@dataclass(frozen=True)
class ZoneReport:
    layout: ZoneLayout
    depth: float
    first_seen_by_second: float
    """Share of the first zone's cells that some cell of the second zone sees (0..1)."""
    second_seen_by_first: float
    hidden_from_both: float
    """Share of the whole table that no cell of either zone sees."""
    balance: float
    """1 when both sides are equally exposed to each other, towards 0 the more one-sided."""

    def as_dict(self) -> dict[str, float | str]:
        return {
            "layout": self.layout.value,
            "depth_mm": round(self.depth, 1),
            "first_zone_visible_from_second": round(self.first_seen_by_second, 4),
            "second_zone_visible_from_first": round(self.second_seen_by_first, 4),
            "hidden_from_both": round(self.hidden_from_both, 4),
            "balance": round(self.balance, 4),
        }


def zone_report(sight: SightMap, layout: ZoneLayout, depth: float | None = None) -> ZoneReport:
    first, second = zone_masks(layout, sight.grid, depth)
    seen_by_first = sight.visible[first].any(axis=0)
    seen_by_second = sight.visible[second].any(axis=0)
    a = float(seen_by_second[first].mean()) if first.any() else 0.0
    b = float(seen_by_first[second].mean()) if second.any() else 0.0
    hidden = float((~seen_by_first & ~seen_by_second).mean())
    balance = 1.0 if max(a, b) == 0 else min(a, b) / max(a, b)
    used = DEFAULT_DEPTH[layout] if depth is None else depth
    return ZoneReport(layout, used, a, b, hidden, balance)
