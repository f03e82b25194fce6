"""Deployment maps on a real table: zones and objectives in millimetres, and what each side sees.

The maps are data (`deployment_maps.py`), printed for a 60 x 44 in table. On a table at least
that big a distance measured from an edge stays what the card says (a 10 in zone is 10 in deep
on a 6 x 4 ft table too), and the map is turned so its long axis lies along the table's. On a
smaller table every distance shrinks by the same factor (the smaller of the two side ratios),
so the zones keep their shape and stay on the table.
"""

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.deployment_maps import CONTROL_RANGE_IN, MAPS, MARKER_MM, REFERENCE
from terrain_desktop.planning.sight import CellGrid, SightMap

_COORD = re.compile(r"^(?:([+-])e)?([+-]?\d+(?:\.\d+)?)?$")


@dataclass(frozen=True)
class Deployment:
    name: str
    game: str
    width: float
    depth: float
    zones: tuple[BaseGeometry, BaseGeometry]
    """Each side's zone in table millimetres (origin at a corner, like piece positions)."""
    objectives: tuple[tuple[float, float], ...]
    scale: float
    """How much the card's distances shrank to fit (1 on a table at least 60 x 44 in)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "game": self.game,
            "scale": round(self.scale, 4),
            "zones": [_outline(zone) for zone in self.zones],
            "objectives": [{"x_mm": round(x, 1), "y_mm": round(y, 1)} for x, y in self.objectives],
        }


def _outline(zone: BaseGeometry) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in shapely.get_coordinates(zone.exterior)]


def names() -> list[str]:
    return [str(m["name"]) for m in MAPS]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def find_map(name: str) -> dict[str, Any]:
    """The map named `name` (any case; spaces, hyphens and the like ignored)."""
    for data in MAPS:
        if _key(str(data["name"])) == _key(name):
            return data
    raise KeyError(f"no deployment map {name!r}; the maps are: {', '.join(names())}")


class _Frame:
    """From the card's (u, v) inches to table millimetres, long axis along the table's."""

    def __init__(self, width: float, depth: float) -> None:
        self.width, self.depth = width, depth
        self.long_x = width >= depth
        long, short = (max(width, depth), min(width, depth))
        self.half = (long / 2 / MM_PER_INCH, short / 2 / MM_PER_INCH)
        self.scale = min(1.0, long / MM_PER_INCH / REFERENCE[0], short / MM_PER_INCH / REFERENCE[1])

    def coordinate(self, text: str, axis: int) -> float:
        found = _COORD.match(text)
        if found is None or not text:
            raise ValueError(f"bad map coordinate {text!r}")
        edge, offset = found.groups()
        base = 0.0 if edge is None else (self.half[axis] if edge == "+" else -self.half[axis])
        return base + self.scale * float(offset or 0.0)

    def point(self, u: float, v: float) -> tuple[float, float]:
        """Card inches (from the centre) to table millimetres (from the corner)."""
        u_mm, v_mm = u * MM_PER_INCH, v * MM_PER_INCH
        if self.long_x:
            return self.width / 2 + u_mm, self.depth / 2 + v_mm
        return self.width / 2 - v_mm, self.depth / 2 + u_mm  # turned a quarter, not mirrored

    def place(self, pair: tuple[str, str]) -> tuple[float, float]:
        return self.point(self.coordinate(pair[0], 0), self.coordinate(pair[1], 1))

    def zone(self, data: dict[str, Any]) -> BaseGeometry:
        if "corner" in data:
            corner = shapely.Point(self.place(data["corner"]))
            radius = data["radius"] * self.scale * MM_PER_INCH
            shape = corner.buffer(radius, quad_segs=16)
        else:
            shape = shapely.Polygon([self.place(p) for p in data["polygon"]])
        if "clear" in data:
            centre = shapely.Point(self.width / 2, self.depth / 2)
            shape = shape.difference(centre.buffer(data["clear"] * self.scale * MM_PER_INCH, 16))
        board = shapely.box(0, 0, self.width, self.depth)
        return shapely.normalize(shape.intersection(board))


def deployment(name: str, width: float, depth: float) -> Deployment:
    """The map `name` on a `width` x `depth` mm table."""
    data = find_map(name)
    frame = _Frame(width, depth)
    first, second = (frame.zone(z) for z in data["zones"])
    objectives = tuple(frame.place(o) for o in data["objectives"])
    return Deployment(
        str(data["name"]), str(data["game"]), width, depth, (first, second), objectives, frame.scale
    )


def zone_masks(plan: Deployment, grid: CellGrid) -> tuple[np.ndarray, np.ndarray]:
    """Which cells (by centre) lie in each side's zone."""
    x, y = grid.centres[:, 0], grid.centres[:, 1]
    first, second = (shapely.contains_xy(zone, x, y) for zone in plan.zones)
    return np.asarray(first), np.asarray(second)


def objective_cells(plan: Deployment, grid: CellGrid) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per objective: the cells under the 40 mm marker (those whose centre it covers, else the
    nearest), and the cells within its control range (3 in from the marker's edge). A marker
    on a cell corner covers the four cells round it, so twins on a symmetric table stay twins.
    """
    reach = MARKER_MM / 2 + CONTROL_RANGE_IN * MM_PER_INCH
    found = []
    for x, y in plan.objectives:
        distance = np.hypot(grid.centres[:, 0] - x, grid.centres[:, 1] - y)
        under = np.flatnonzero(distance <= MARKER_MM / 2 + 1e-6)
        if not under.size:
            under = np.array([int(np.argmin(distance))])
        found.append((under, np.flatnonzero(distance <= reach)))
    return found


@dataclass(frozen=True)
class ObjectiveSight:
    from_first: float
    """The share of the first zone's cells that see the marker."""
    from_second: float
    hidden: float
    """The share of sight lines from the zones' cells to the control range that are blocked:
    0 in the open, 1 buried out of sight, "partly hidden" in between."""


def objective_sight(sight: SightMap, plan: Deployment) -> list[ObjectiveSight]:
    first, second = zone_masks(plan, sight.grid)
    either = first | second
    found = []
    for under, area in objective_cells(plan, sight.grid):
        sees = sight.visible[under].any(axis=0)
        hidden = 1.0 - float(sight.visible[np.ix_(area, either)].mean()) if area.size else 0.0
        found.append(ObjectiveSight(_share(sees[first]), _share(sees[second]), hidden))
    return found


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


def _balance(a: float, b: float) -> float:
    return 1.0 if max(a, b) == 0 else min(a, b) / max(a, b)


def deployment_report(sight: SightMap, plan: Deployment) -> dict[str, Any]:
    """The zones' numbers (as `zones.zone_report`) and, per objective, the share of each
    side's zone that sees its marker and how hidden its control range is from the zones."""
    first, second = zone_masks(plan, sight.grid)
    seen_by_first = sight.visible[first].any(axis=0)
    seen_by_second = sight.visible[second].any(axis=0)
    a, b = _share(seen_by_second[first]), _share(seen_by_first[second])
    objectives = [
        {
            "x_mm": round(x, 1),
            "y_mm": round(y, 1),
            "seen_from_first_zone": round(seen.from_first, 4),
            "seen_from_second_zone": round(seen.from_second, 4),
            "control_range_hidden": round(seen.hidden, 4),
            "balance": round(_balance(seen.from_first, seen.from_second), 4),
        }
        for (x, y), seen in zip(plan.objectives, objective_sight(sight, plan), strict=True)
    ]
    return {
        "deployment": plan.name,
        "first_zone_visible_from_second": round(a, 4),
        "second_zone_visible_from_first": round(b, 4),
        "hidden_from_both": round(_share(~seen_by_first & ~seen_by_second), 4),
        "balance": round(_balance(a, b), 4),
        "objectives": objectives,
        "marker_mm": MARKER_MM,
        "control_range_in": CONTROL_RANGE_IN,
    }
