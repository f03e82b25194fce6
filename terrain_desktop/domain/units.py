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
