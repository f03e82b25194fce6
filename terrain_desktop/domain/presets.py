"""Common game-table sizes, offered when a table is made."""

from dataclasses import dataclass

from terrain_desktop.domain.units import MM_PER_INCH


@dataclass(frozen=True)
class TablePreset:
    name: str
    width_mm: int
    depth_mm: int


def _inches(width: float, depth: float) -> tuple[int, int]:
    return round(width * MM_PER_INCH), round(depth * MM_PER_INCH)


PRESETS = [
    TablePreset("1200 × 900 mm", 1200, 900),
    TablePreset("6 × 4 ft", *_inches(72, 48)),
    TablePreset("44 × 60 in", *_inches(44, 60)),
    TablePreset("44 × 30 in", *_inches(44, 30)),
    TablePreset("22 × 30 in", *_inches(22, 30)),
]
