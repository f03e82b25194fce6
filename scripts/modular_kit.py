"""The bundled modular dungeon kit: floor tiles, walls, a doorway and a pillar on a one-inch
(25.4 mm) grid, built from boxes like the rest of the sample library.

Every piece's footprint is a whole number of grid squares, so tiles meet edge to edge when
edge snapping brings them together and walls stand on a tile's outer half-square. Floors
are laid with uneven flagstones and walls with staggered courses of blocks, the mortar lines
sunk between them: they read as stone under the view's lights. Floors are 6 mm thick and
walls two inches high.
"""

from collections.abc import Callable

import numpy as np
import trimesh
from trimesh.creation import box

GRID = 25.4
FLOOR = 6.0
WALL_HEIGHT = 2 * GRID
WALL_THICKNESS = GRID / 2
MORTAR = 0.6
COPING = 1.5
COURSE = (WALL_HEIGHT - COPING) / 6


def _block(w: float, d: float, h: float, x: float, y: float, z: float) -> trimesh.Trimesh:
    mesh = box(extents=[w, d, h])
    mesh.apply_translation([x, y, z + h / 2])
    return mesh


def floor_tile(columns: int, rows: int, seed: int) -> trimesh.Trimesh:
    """A slab of `columns` x `rows` squares, paved with flagstones of uneven width and
    height (half a square deep) with mortar gaps between them."""
    rng = np.random.default_rng(seed)
    width, depth = columns * GRID, rows * GRID
    parts = [_block(width, depth, FLOOR - 2.5, 0, 0, 0)]
    row_depth = GRID / 2
    for row in range(rows * 2):
        y0 = -depth / 2 + row * row_depth
        x = -width / 2
        while x < width / 2 - 0.5:
            stone = min(float(rng.uniform(8.0, 17.0)), width / 2 - x)
            if width / 2 - (x + stone) < 5.0:  # no sliver at the end of a row
                stone = width / 2 - x
            lift = 0.0  # flat tops: walls stand level on any stone
            parts.append(
                _block(
                    stone - MORTAR,
                    row_depth - MORTAR,
                    2.5 + lift,
                    x + stone / 2,
                    y0 + row_depth / 2,
                    FLOOR - 2.5,
                )
            )
            x += stone
    # The slab reaches the full height at its corners, so every tile is exactly FLOOR thick.
    parts.append(_block(0.2, 0.2, 2.5, -width / 2 + 0.1, -depth / 2 + 0.1, FLOOR - 2.5))
    return trimesh.util.concatenate(parts)


def _courses(
    x0: float, x1: float, y: float, z0: float, z1: float, seed: int
) -> list[trimesh.Trimesh]:
    """Staggered courses of blocks between x0 and x1 (a wall face along x at y), over a core
    a little thinner than the wall so the mortar lines show."""
    rng = np.random.default_rng(seed)
    top = z1 - COPING
    parts = [
        _block(x1 - x0, WALL_THICKNESS - 1.0, top - z0, (x0 + x1) / 2, y, z0),
        _block(x1 - x0, WALL_THICKNESS, COPING, (x0 + x1) / 2, y, top),  # seen from above: whole
    ]
    z, course = z0, 0
    while z < top - 0.5:
        height = min(COURSE, top - z)
        x = x0 - (GRID / 4 if course % 2 else 0.0)
        while x < x1 - 0.5:
            length = float(rng.uniform(0.4, 0.6)) * GRID
            start, end = max(x, x0), min(x + length, x1)
            if end - start > 1.0:
                parts.append(
                    _block(
                        end - start - MORTAR,
                        WALL_THICKNESS,
                        height - MORTAR,
                        (start + end) / 2,
                        y,
                        z + MORTAR / 2,
                    )
                )
            x += length
        z += height
        course += 1
    # Full length and height at the ends, so the wall's extents are exactly its grid size.
    for end in (x0, x1):
        parts.append(
            _block(0.2, WALL_THICKNESS, z1 - z0, end + (0.1 if end == x0 else -0.1), y, z0)
        )
    return parts


def straight_wall(seed: int = 40) -> trimesh.Trimesh:
    """Two squares long, half a square thick, along x."""
    return trimesh.util.concatenate(_courses(-GRID, GRID, 0, 0, WALL_HEIGHT, seed))


def corner_wall(seed: int = 41) -> trimesh.Trimesh:
    """An L over a 2 x 2 square footprint: walls along its south (-y) and west (-x) edges."""
    south = _courses(-GRID, GRID, -GRID + WALL_THICKNESS / 2, 0, WALL_HEIGHT, seed)
    west = _courses(-GRID + WALL_THICKNESS, GRID, 0, 0, WALL_HEIGHT, seed + 1)
    turn = trimesh.transformations.rotation_matrix(np.pi / 2, [0, 0, 1])
    for part in west:
        part.apply_transform(turn)
        part.apply_translation([-GRID + WALL_THICKNESS / 2, 0, 0])
    return trimesh.util.concatenate([*south, *west])


def doorway(seed: int = 43) -> trimesh.Trimesh:
    """A straight wall with a one-square opening, 1.5 inches high, under a stone lintel."""
    opening = 1.5 * GRID
    parts = [
        *_courses(-GRID, -GRID / 2, 0, 0, WALL_HEIGHT, seed),
        *_courses(GRID / 2, GRID, 0, 0, WALL_HEIGHT, seed + 1),
        _block(GRID + 4, WALL_THICKNESS, WALL_HEIGHT - opening, 0, 0, opening),
        _block(GRID - 2, WALL_THICKNESS - 2, 1.0, 0, 0, 0),  # the worn threshold
    ]
    return trimesh.util.concatenate(parts)


def pillar() -> trimesh.Trimesh:
    """One square: a stepped plinth, a column of stacked drums and a capital."""
    parts = [_block(GRID, GRID, 4, 0, 0, 0), _block(GRID - 4, GRID - 4, 3, 0, 0, 4)]
    z = 7.0
    while z < WALL_HEIGHT - 6:
        height = min(8.0, WALL_HEIGHT - 6 - z)
        parts.append(_block(15, 15, height - MORTAR, 0, 0, z))
        parts.append(_block(13.5, 13.5, height, 0, 0, z))
        z += height
    parts.append(_block(GRID - 5, GRID - 5, 6, 0, 0, WALL_HEIGHT - 6))
    return trimesh.util.concatenate(parts)


STONE = "#8f8b84"

#: slug, name, category, tags, price, artist, colour, maker (as build_sample_library.PIECES).
KIT: list[tuple[str, str, str, list[str], str, str, str, Callable[[], trimesh.Trimesh]]] = [
    ("floor-tile-1x1", "Floor tile 1×1", "modular-dungeon", ["floor", "tile", "stone", "modular"],
     "0.25", "forge", "#8a867f", lambda: floor_tile(1, 1, seed=31)),
    ("floor-tile-2x2", "Floor tile 2×2", "modular-dungeon", ["floor", "tile", "stone", "modular"],
     "0.75", "forge", "#8a867f", lambda: floor_tile(2, 2, seed=32)),
    ("floor-tile-2x4", "Floor tile 2×4", "modular-dungeon", ["floor", "tile", "stone", "modular"],
     "1.25", "forge", "#8a867f", lambda: floor_tile(2, 4, seed=33)),
    ("wall-straight", "Straight wall", "modular-dungeon", ["wall", "stone", "modular"],
     "1.00", "forge", STONE, straight_wall),
    ("wall-corner", "Corner wall", "modular-dungeon", ["wall", "corner", "stone", "modular"],
     "1.50", "forge", STONE, corner_wall),
    ("doorway", "Doorway", "modular-dungeon", ["wall", "door", "stone", "modular"],
     "1.25", "forge", STONE, doorway),
    ("pillar", "Pillar", "modular-dungeon", ["pillar", "column", "stone", "modular"],
     "0.75", "forge", STONE, pillar),
]  # fmt: skip
