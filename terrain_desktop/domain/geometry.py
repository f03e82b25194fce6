"""Snapping and stacking on the table plane."""

import math
from dataclasses import dataclass

ROTATION_STEP_DEGREES = 15.0


def snap(value: float, grid: float) -> float:
    return round(value / grid) * grid if grid > 0 else value


def snap_angle(degrees: float, step: float = ROTATION_STEP_DEGREES) -> float:
    return (round(degrees / step) * step) % 360


@dataclass(frozen=True)
class Footprint:
    """A placed piece seen from above: an axis-aligned box (rotation ignored: conservative)."""

    x: float
    y: float
    half_width: float
    half_depth: float
    top: float

    def contains(self, x: float, y: float) -> bool:
        return abs(x - self.x) <= self.half_width and abs(y - self.y) <= self.half_depth


def footprint(
    x: float, y: float, z: float, size: tuple[float, float, float], rotation: float, scale: float
) -> Footprint:
    w, d, h = (v * scale for v in size)
    angle = math.radians(rotation)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    return Footprint(x, y, (w * cos + d * sin) / 2, (w * sin + d * cos) / 2, z + h)


def resting_height(x: float, y: float, others: list[Footprint]) -> float:
    """Dropped at x, y, a piece rests on the highest piece beneath that point, or the table."""
    return max((f.top for f in others if f.contains(x, y)), default=0.0)
