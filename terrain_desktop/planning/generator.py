"""Layouts made for a game: random valid placements of a kit, scored on the real meshes.

Each candidate is drawn by its own random stream (`numpy`'s generator seeded with the seed and
the candidate's number), so a seed always gives the same candidates in the same order, on any
machine, however many candidates are asked for. A candidate places the kit's pieces biggest
first, each at a random spot and a heading in 15° steps, and keeps a spot only when the piece's
real footprint (`footprints.py`, what `check` uses) lies on the table, leaves at least `gap` mm
(a model's base) to every other piece, and keeps clear of the objective markers. A piece with
no such spot in `tries` draws is left out (and the candidate says how many were placed). With
symmetry, pieces go down in twins (`symmetry.py`), and an odd one out stands where it is its own
twin (the centre, or on the mirror line).

Candidates are then scored (`scoring.py`) on sight maps with coarse cells (2 in by default:
the balance of a table does not change at finer cells, and it keeps 20 candidates of a
6 x 4 ft table within seconds) and returned best first.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
import trimesh
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.checks import DEFAULT_GAP
from terrain_desktop.planning.deployment_maps import MARKER_MM
from terrain_desktop.planning.deployments import Deployment
from terrain_desktop.planning.footprints import local_outline
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.scoring import Score, score
from terrain_desktop.planning.sight import DEFAULT_EYE, sight_map
from terrain_desktop.planning.symmetry import Symmetry, twin_pose

STEP_DEGREES = 15
#: Added to the gap so rounding can never make `check` call two pieces too close.
SLACK = 0.1


@dataclass(frozen=True)
class KitItem:
    asset_id: str
    name: str
    mesh: trimesh.Trimesh = field(repr=False, compare=False)
    count: int
    colour: str = "#999999"


@dataclass(frozen=True)
class Settings:
    gap: float = DEFAULT_GAP
    """The base (mm) that must pass between any two pieces."""
    symmetry: Symmetry | None = None
    cell: float = 2 * MM_PER_INCH
    eye: float = DEFAULT_EYE
    tries: int = 300


@dataclass(frozen=True)
class Candidate:
    number: int
    """Which random stream drew it (0-based): with the seed, all it takes to draw it again."""
    table: TableLayout
    score: Score
    wanted: int
    """How many pieces the kit has (`len(table.pieces)` were placed)."""


class _Shapes:
    """Each mesh's outline turned to each heading, worked out once."""

    def __init__(self) -> None:
        self._turned: dict[tuple[int, int], BaseGeometry] = {}

    def at(self, mesh: trimesh.Trimesh, rotation: int, x: float, y: float) -> BaseGeometry:
        key = (id(mesh), rotation)
        if key not in self._turned:
            self._turned[key] = affinity.rotate(local_outline(mesh), rotation, origin=(0, 0))
        return affinity.translate(self._turned[key], x, y)

    def bounds(self, mesh: trimesh.Trimesh, rotation: int) -> tuple[float, float, float, float]:
        low_x, low_y, high_x, high_y = self.at(mesh, rotation, 0.0, 0.0).bounds
        return low_x, low_y, high_x, high_y


class _Board:
    """The pieces placed so far, and whether another footprint may join them."""

    def __init__(self, width: float, depth: float, plan: Deployment, gap: float) -> None:
        self.width, self.depth, self.gap = width, depth, gap
        self.shapes: list[BaseGeometry] = []
        self.markers = [shapely.Point(o) for o in plan.objectives]

    def fits(self, *shapes: BaseGeometry) -> bool:
        for i, shape in enumerate(shapes):
            others = self.shapes + list(shapes[:i])
            if others and shapely.distance(np.array(others), shape).min() < self.gap + SLACK:
                return False
            if any(shape.distance(m) < MARKER_MM / 2 + SLACK for m in self.markers):
                return False
        return True


def _copies(items: Sequence[KitItem], shapes: _Shapes) -> list[KitItem]:
    """One entry per asset, biggest footprint first (ties by id: the order is fixed)."""
    return sorted(
        (i for i in items if i.count > 0),
        key=lambda i: (-shapes.at(i.mesh, 0, 0, 0).area, i.asset_id),
    )


def random_layout(
    name: str,
    width: float,
    depth: float,
    plan: Deployment,
    items: Sequence[KitItem],
    rng: np.random.Generator,
    settings: Settings = Settings(),
    shapes: _Shapes | None = None,
) -> TableLayout:
    """One valid layout of the kit (pieces that found no spot left out)."""
    shapes = shapes or _Shapes()
    board = _Board(width, depth, plan, settings.gap)
    pieces: list[PlacedPiece] = []
    mode = settings.symmetry

    def piece(item: KitItem, x: float, y: float, rotation: float) -> PlacedPiece:
        return PlacedPiece(
            f"g{len(pieces) + 1:03d}", item.asset_id, item.name, x, y, 0.0, rotation, 1.0,
            item.mesh, item.colour,
        )  # fmt: skip

    def spot(item: KitItem, rotation: int) -> tuple[float, float] | None:
        low_x, low_y, high_x, high_y = shapes.bounds(item.mesh, rotation)
        if high_x - low_x > width or high_y - low_y > depth:
            return None
        return rng.uniform(-low_x, width - high_x), rng.uniform(-low_y, depth - high_y)

    for item in _copies(items, shapes):
        singles = item.count if mode is None else item.count % 2
        pairs = 0 if mode is None else item.count // 2
        for _ in range(pairs):
            for _ in range(settings.tries):
                rotation = int(rng.integers(0, 360 // STEP_DEGREES)) * STEP_DEGREES
                found = spot(item, rotation)
                if found is None:
                    continue
                assert mode is not None
                tx, ty, tr = twin_pose(*found, rotation, width, depth, mode)
                a = shapes.at(item.mesh, rotation, *found)
                b = shapes.at(item.mesh, round(tr) % 360, tx, ty)
                if board.fits(a, b):
                    board.shapes += [a, b]
                    pieces += [piece(item, *found, rotation)]
                    pieces += [piece(item, tx, ty, round(tr) % 360)]
                    break
        for _ in range(singles):
            for _ in range(settings.tries):
                rotation = int(rng.integers(0, 360 // STEP_DEGREES)) * STEP_DEGREES
                found = spot(item, rotation)
                if found is None:
                    continue
                if mode == Symmetry.POINT:
                    found = (width / 2, depth / 2)
                elif mode == Symmetry.MIRROR:
                    rotation = 180 * int(rng.integers(0, 2)) + (0 if width >= depth else 90)
                    found = (found[0], depth / 2) if width >= depth else (width / 2, found[1])
                shape = shapes.at(item.mesh, rotation, *found)
                inside = shapely.box(0, 0, width, depth).contains(shape)
                if inside and board.fits(shape):
                    board.shapes.append(shape)
                    pieces.append(piece(item, *found, rotation))
                    break
    return TableLayout(name, width, depth, tuple(pieces))


def generate(
    name: str,
    width: float,
    depth: float,
    plan: Deployment,
    items: Sequence[KitItem],
    seed: int,
    candidates: int = 20,
    settings: Settings = Settings(),
) -> list[Candidate]:
    """`candidates` valid layouts, each scored on its real meshes, best first."""
    shapes = _Shapes()
    wanted = sum(max(0, i.count) for i in items)
    found = []
    for number in range(candidates):
        rng = np.random.default_rng([seed, number])
        table = random_layout(name, width, depth, plan, items, rng, settings, shapes)
        sight = sight_map(table, eye=settings.eye, cell=settings.cell)
        found.append(Candidate(number, table, score(sight, plan), wanted))
    return sorted(found, key=lambda c: (-c.score.total, c.number))
