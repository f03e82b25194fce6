"""Lengths shown in millimetres or inches; stored always in millimetres."""

from enum import StrEnum

MM_PER_INCH = 25.4


class LengthUnit(StrEnum):
    MM = "mm"
    INCH = "in"


def format_length(mm: float, unit: LengthUnit) -> str:
    if unit == LengthUnit.INCH:
        return f'{mm / MM_PER_INCH:.1f}"'
    return f"{mm:.0f} mm"


def to_display(mm: float, unit: LengthUnit) -> float:
    return mm / MM_PER_INCH if unit == LengthUnit.INCH else mm


def from_display(value: float, unit: LengthUnit) -> float:
    return value * MM_PER_INCH if unit == LengthUnit.INCH else value


def format_size(size_mm: tuple[float, float, float], unit: LengthUnit) -> str:
    """A piece's width × depth × height: "51 × 51 × 6 mm" or "2.0 × 2.0 × 0.2 in"."""
    if unit == LengthUnit.INCH:
        return " × ".join(f"{v / MM_PER_INCH:.1f}" for v in size_mm) + " in"
    return " × ".join(f"{v:.0f}" for v in size_mm) + " mm"
