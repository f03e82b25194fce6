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


#: A piece's edge snaps to a neighbour's edge closer than this (mm), as tiles click together.
EDGE_SNAP_MM = 8.0


def edge_snap(
    moving: Footprint, others: list[Footprint], reach: float = EDGE_SNAP_MM
) -> tuple[float, float]:
    """The shift (dx, dy) that brings `moving`'s footprint edge to edge with a neighbour.

    Along x, candidates are its left edge against a neighbour's right edge (side by side) and
    the matching edges (aligned); only neighbours level with it along y (within `reach`)
    count, and the nearest candidate within `reach` wins. The same along y.
    """
    return (
        _nearest(moving.x, moving.half_width, moving.y, moving.half_depth, others, reach, True),
        _nearest(moving.y, moving.half_depth, moving.x, moving.half_width, others, reach, False),
    )


def _nearest(
    c: float,
    half: float,
    across: float,
    half_across: float,
    others: list[Footprint],
    reach: float,
    along_x: bool,
) -> float:
    best = 0.0
    for other in others:
        oc, ohalf = (other.x, other.half_width) if along_x else (other.y, other.half_depth)
        oa, oa_half = (other.y, other.half_depth) if along_x else (other.x, other.half_width)
        if abs(across - oa) > half_across + oa_half + reach:
            continue  # not beside it
        low, high = c - half, c + half
        for shift in (
            (oc + ohalf) - low,  # our left edge to its right edge
            (oc - ohalf) - high,  # our right edge to its left edge
            (oc - ohalf) - low,  # left edges aligned
            (oc + ohalf) - high,  # right edges aligned
        ):
            if abs(shift) <= reach and (best == 0.0 or abs(shift) < abs(best)):
                best = shift
    return best


#: Two edges closer than this (mm) touch; shared stretches shorter than `CONTACT_MIN` don't count.
CONTACT_GAP = 0.01
CONTACT_MIN = 0.5

Segment = tuple[tuple[float, float], tuple[float, float]]


def edge_contacts(moving: Footprint, others: list[Footprint]) -> list[Segment]:
    """Where `moving`'s footprint edges meet a neighbour's edges: the shared stretches, as
    segments on the table (what the view lights up as tiles click together)."""
    found: list[Segment] = []
    m_left, m_right = moving.x - moving.half_width, moving.x + moving.half_width
    m_low, m_high = moving.y - moving.half_depth, moving.y + moving.half_depth
    for other in others:
        o_left, o_right = other.x - other.half_width, other.x + other.half_width
        o_low, o_high = other.y - other.half_depth, other.y + other.half_depth
        low, high = max(m_low, o_low), min(m_high, o_high)
        if high - low >= CONTACT_MIN:
            for x in (m_left, m_right):
                if min(abs(x - o_left), abs(x - o_right)) <= CONTACT_GAP:
                    found.append(((x, low), (x, high)))
        left, right = max(m_left, o_left), min(m_right, o_right)
        if right - left >= CONTACT_MIN:
            for y in (m_low, m_high):
                if min(abs(y - o_low), abs(y - o_high)) <= CONTACT_GAP:
                    found.append(((left, y), (right, y)))
    return found
