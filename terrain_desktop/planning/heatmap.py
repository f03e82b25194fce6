"""The line-of-sight heat map as a picture: cells coloured by how much of the table they see,
piece outlines over them, the deployment zones drawn at the edges, and the objective markers
(40 mm) with a ring at their control range."""

from collections.abc import Sequence

import numpy as np
import shapely
from PIL import Image, ImageDraw
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.sight import SightMap

#: Dark (sees little) to bright (sees much): a perceptually even ramp, good in grey too.
_RAMP = np.array(
    [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]], dtype=float
)
ZONE_COLOURS = ((220, 50, 47), (38, 139, 210))


def colour_ramp(values: np.ndarray) -> np.ndarray:
    """Values 0..1 to RGB (uint8), the same ramp in the picture and in the window."""
    position = np.clip(values, 0, 1) * (len(_RAMP) - 1)
    low = np.floor(position).astype(int).clip(0, len(_RAMP) - 2)
    t = (position - low)[..., None]
    rgb: np.ndarray = (_RAMP[low] * (1 - t) + _RAMP[low + 1] * t).round().astype(np.uint8)
    return rgb


def _polygons(shape: BaseGeometry) -> list[list[tuple[float, float]]]:
    parts = getattr(shape, "geoms", [shape])
    return [list(p.exterior.coords) for p in parts if isinstance(p, shapely.Polygon)]


def heat_image(
    sight: SightMap,
    footprints: list[BaseGeometry],
    zones: list[list[tuple[float, float]]],
    values: np.ndarray | None = None,
    pixels_per_cell: int = 12,
    objectives: Sequence[tuple[float, float]] = (),
    control_range: float = 3 * MM_PER_INCH,
    marker: float = 40.0,
) -> Image.Image:
    """The map (or any per-cell `values` 0..1, e.g. what one cell sees), front edge at bottom."""
    grid = sight.grid
    shade = sight.coverage if values is None else values
    cells = colour_ramp(shade.reshape(grid.rows, grid.columns))[::-1]
    image = Image.fromarray(cells, "RGB").resize(
        (grid.columns * pixels_per_cell, grid.rows * pixels_per_cell), Image.Resampling.NEAREST
    )
    scale = image.width / grid.width
    height = image.height

    def to_px(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * scale, height - y * scale) for x, y in points]

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for colour, zone in zip(ZONE_COLOURS, zones, strict=False):
        draw.polygon(to_px(zone), fill=(*colour, 70), outline=(*colour, 255), width=3)
    for shape in footprints:
        for ring in _polygons(shape):
            draw.polygon(to_px(ring), outline=(255, 255, 255, 255), width=2)
    for x, y in objectives:
        (cx, cy), reach = to_px([(x, y)])[0], (marker / 2 + control_range) * scale
        draw.ellipse(
            (cx - reach, cy - reach, cx + reach, cy + reach), outline=(255, 255, 255, 220), width=2
        )
        r = marker / 2 * scale
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            fill=(255, 255, 255, 255),
            outline=(0, 0, 0, 255),
            width=2,
        )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
