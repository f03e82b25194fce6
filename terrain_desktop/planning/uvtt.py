"""The table as a Universal VTT map (`.dd2vtt` / `.uvtt`, the format Dungeondraft, DungeonFog
and Arkenforge export and Foundry VTT's importers read): a top-down picture of the table, its
1-inch grid, and line-of-sight walls.

The walls are the pieces cut at eye height: where a piece has material `eye` mm above the
table, sight at that height is blocked, so the outline of that cut is a wall; a doorway's
opening, a gap between ruins or a piece lower than the eye leaves no wall. A virtual token
stands on the table's floor, so this is the sight of models standing on the table: the sight
map (`sight.py`) agrees with it on the pairs of floor cells (tested); models on a roof or a
hill top see further than any flat map can say.

Coordinates are in grid squares (one square is one inch), from the map's top-left corner: the
table's back edge is the picture's top, as the build plan draws it with the front at the bottom.
"""

import base64
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import trimesh
from PIL import Image
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.raycast import piece_tops
from terrain_desktop.planning.scene_export import MAT_COLOUR, hex_rgb
from terrain_desktop.planning.sight import DEFAULT_EYE

FORMAT = 0.3
DEFAULT_PIXELS_PER_GRID = 50
GRID_LINE = (150, 170, 130)
#: Walls are simplified this much (mm): finer than a model's base can tell.
WALL_TOLERANCE = 0.5
SNAP = 1e-3


def _winding(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """The winding number of oriented segments (outline counter-clockwise) about each point."""
    a, b = segments[None, :, 0], segments[None, :, 1]
    p = points[:, None]
    side = (b[..., 0] - a[..., 0]) * (p[..., 1] - a[..., 1]) - (p[..., 0] - a[..., 0]) * (
        b[..., 1] - a[..., 1]
    )
    up = (a[..., 1] <= p[..., 1]) & (b[..., 1] > p[..., 1]) & (side > 0)
    down = (b[..., 1] <= p[..., 1]) & (a[..., 1] > p[..., 1]) & (side < 0)
    winding: np.ndarray = up.sum(axis=1) - down.sum(axis=1)
    return winding


def _cut(piece: PlacedPiece, eye: float) -> BaseGeometry:
    """The outline of where the piece has material at height `eye`: of the areas the cut
    encloses, those inside by the non-zero winding rule (each segment turned so its face's
    outside is on its right), so parts that overlap inside one mesh merge into one outline and
    a hollow tower keeps its inside open. Lines that enclose nothing (an open mesh) are kept
    as they are: a wall either way."""
    placed = piece.mesh.copy().apply_transform(piece.matrix())
    cut, faces = trimesh.intersections.mesh_plane(placed, (0, 0, 1), (0, 0, eye), return_faces=True)
    if not len(cut):
        return shapely.GeometryCollection()
    segments = np.asarray(cut)[:, :, :2].copy()
    outward = np.asarray(placed.face_normals)[faces][:, :2]
    along = segments[:, 1] - segments[:, 0]
    backwards = along[:, 1] * outward[:, 0] - along[:, 0] * outward[:, 1] < 0
    segments[backwards] = segments[backwards][:, ::-1]
    # Crossing points of neighbouring triangles are worked out twice: snap them together.
    lines = shapely.set_precision(shapely.multilinestrings(segments), SNAP)
    noded = shapely.node(lines)
    polygons, *loose = shapely.polygonize_full(shapely.get_parts(noded))
    areas = list(shapely.get_parts(polygons))
    left = [g for geometry in loose for g in shapely.get_parts(geometry)]  # never closed
    if areas:
        inside = np.array([a.representative_point().coords[0] for a in areas])
        windings = _winding(inside, segments)
        solid = [a for a, w in zip(areas, windings, strict=True) if w != 0]
        left.append(shapely.boundary(shapely.union_all(solid)))
    return shapely.union_all(left) if left else shapely.GeometryCollection()


def walls_mm(table: TableLayout, eye: float = DEFAULT_EYE) -> list[np.ndarray]:
    """The outlines of the pieces' material `eye` mm above the table, as polylines in table
    millimetres."""
    cuts = [_cut(piece, eye) for piece in table.pieces if piece.bottom < eye < piece.top]
    if not cuts:
        return []
    outline = shapely.line_merge(shapely.union_all(cuts))
    simple = outline.simplify(WALL_TOLERANCE)
    return [np.asarray(line.coords) for line in shapely.get_parts(simple) if not line.is_empty]


def _grid_point(table: TableLayout, x: float, y: float) -> dict[str, float]:
    return {"x": round(x / MM_PER_INCH, 4), "y": round((table.depth - y) / MM_PER_INCH, 4)}


def image_size(table: TableLayout, pixels_per_grid: int) -> tuple[int, int]:
    return (
        max(1, round(table.width / MM_PER_INCH * pixels_per_grid)),
        max(1, round(table.depth / MM_PER_INCH * pixels_per_grid)),
    )


def top_down(table: TableLayout, pixels_per_grid: int = DEFAULT_PIXELS_PER_GRID) -> Image.Image:
    """The table seen straight from above, each pixel the colour of the highest thing there,
    shaded by the slope (light from the top left), the mat ruled into grid squares."""
    width, depth = image_size(table, pixels_per_grid)
    mm_x, mm_y = table.width / width, table.depth / depth
    xs = (np.arange(width) + 0.5) * mm_x
    ys = table.depth - (np.arange(depth) + 0.5) * mm_y
    grid_x, grid_y = np.meshgrid(xs, ys)
    xy = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    height = np.zeros(len(xy))
    colour = np.tile(np.array(MAT_COLOUR, dtype=float), (len(xy), 1))
    for piece, inside, tops in piece_tops(table.pieces, xy):
        higher = ~np.isnan(tops) & (tops >= height[inside])
        height[inside[higher]] = tops[higher]
        colour[inside[higher]] = hex_rgb(piece.colour)
    relief = height.reshape(depth, width)
    slope_y, slope_x = np.gradient(relief, mm_y, mm_x)
    shade = np.clip(1.0 + 0.6 * (-slope_x + slope_y) / np.sqrt(2), 0.45, 1.35)
    shade *= 0.8 + 0.2 * np.clip(relief / 100.0, 0, 1)  # higher is a little brighter
    rgb = colour.reshape(depth, width, 3) * np.where(relief > 0, shade, 1.0)[..., None]
    floor = relief <= 0
    lines = np.zeros((depth, width), dtype=bool)
    lines[:, np.round(np.arange(0, width, pixels_per_grid)).astype(int)] = True
    lines[np.round(np.arange(0, depth, pixels_per_grid)).astype(int), :] = True
    rgb[floor & lines] = GRID_LINE
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def uvtt(
    table: TableLayout,
    eye: float = DEFAULT_EYE,
    pixels_per_grid: int = DEFAULT_PIXELS_PER_GRID,
) -> dict[str, Any]:
    """The whole file as a JSON value."""
    picture = io.BytesIO()
    top_down(table, pixels_per_grid).save(picture, format="PNG")
    walls = [[_grid_point(table, x, y) for x, y in line] for line in walls_mm(table, eye)]
    return {
        "format": FORMAT,
        "resolution": {
            "map_origin": {"x": 0, "y": 0},
            "map_size": _grid_point(table, table.width, 0),
            "pixels_per_grid": pixels_per_grid,
        },
        "line_of_sight": walls,
        "objects_line_of_sight": [],
        "portals": [],
        "environment": {"baked_lighting": True, "ambient_light": "ffffffff"},
        "lights": [],
        "image": base64.b64encode(picture.getvalue()).decode("ascii"),
        "software": "Terrain Builder",
    }


def write_uvtt(
    table: TableLayout,
    path: Path,
    eye: float = DEFAULT_EYE,
    pixels_per_grid: int = DEFAULT_PIXELS_PER_GRID,
) -> int:
    """Writes the file; returns how many walls it holds."""
    data = uvtt(table, eye, pixels_per_grid)
    path.write_text(json.dumps(data))
    return len(data["line_of_sight"])
