""" "Suggest one move": the single move or turn of one piece that most improves the balance.

Every piece is tried at a few nearby poses (`STEP` mm each way along x and y, and turned by
±`TURN`° and 90°); a pose counts only when the moved piece still lies on the table, leaves a
base (`gap`) to every other piece and keeps off the objective markers, so following the
suggestion never makes `check` complain. Each pose is scored by the balance of sight between
the zones (`scoring.sight_balance`) on a coarse sight map (3 in cells: a few hundred
candidates each ask a whole map), and the best one that beats the table as it stands is
returned, or nothing when no single move helps. A symmetric table stays symmetric only if the
twin gets the same move; the suggestion names one piece and leaves that to the player.
"""

from dataclasses import dataclass, replace

import numpy as np
import shapely

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.checks import DEFAULT_GAP
from terrain_desktop.planning.deployment_maps import MARKER_MM
from terrain_desktop.planning.deployments import Deployment
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.raycast import surface_heights
from terrain_desktop.planning.scoring import sight_balance
from terrain_desktop.planning.sight import DEFAULT_EYE, CellGrid, RayScene, SightMap

STEP = 3 * MM_PER_INCH
TURN = 15.0
CELL = 3 * MM_PER_INCH
#: A move must beat the table as it stands by at least this much balance to be suggested.
BETTER_BY = 1e-3


@dataclass(frozen=True)
class Suggestion:
    piece_id: str
    name: str
    dx: float
    dy: float
    turn: float
    before: float
    after: float
    """The balance before and after the move (0..1)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "piece": self.piece_id,
            "name": self.name,
            "move_mm": [round(self.dx, 1), round(self.dy, 1)],
            "turn_degrees": self.turn,
            "balance_before": round(self.before, 4),
            "balance_after": round(self.after, 4),
        }

    def describe(self) -> str:
        what = []
        if self.dx or self.dy:
            what.append(f"move {self.name} ({self.piece_id}) by {self.dx:+.0f}, {self.dy:+.0f} mm")
        if self.turn:
            what.append(f"turn {self.name} ({self.piece_id}) by {self.turn:+g}°")
        text = " and ".join(what) + f": balance {self.before:.3f} -> {self.after:.3f}"
        return text[:1].upper() + text[1:]


MOVES = [(STEP, 0.0, 0.0), (-STEP, 0.0, 0.0), (0.0, STEP, 0.0), (0.0, -STEP, 0.0)]
MOVES += [(0.0, 0.0, TURN), (0.0, 0.0, -TURN), (0.0, 0.0, 90.0)]


def _allowed(table: TableLayout, moved: PlacedPiece, plan: Deployment, gap: float) -> bool:
    shape = footprint(moved)
    if not shapely.box(0, 0, table.width, table.depth).contains(shape):
        return False
    if any(shape.distance(shapely.Point(o)) < MARKER_MM / 2 for o in plan.objectives):
        return False
    others = [footprint(p) for p in table.pieces if p.id != moved.id]
    return not (others and (shapely.distance(np.array(others), shape) < gap).any())


def suggest_move(
    table: TableLayout,
    plan: Deployment,
    gap: float = DEFAULT_GAP,
    eye: float = DEFAULT_EYE,
    cell: float = CELL,
) -> Suggestion | None:
    """The one move or turn of one piece that most improves the balance, if any does."""
    grid = CellGrid(table.width, table.depth, cell)
    soups: dict[tuple[object, ...], np.ndarray] = {}

    def balance(layout: TableLayout, *scenes: RayScene) -> float:
        """The layout's balance, its sight asked of `scenes` that together hold its pieces: a
        segment is clear when no scene blocks it, so the scene of the pieces that stay put is
        built once per piece tried, not once per move (a build is most of the cost)."""
        ground = surface_heights(layout.pieces, grid.centres)
        eyes = np.column_stack([grid.centres, ground + eye])
        visible = np.logical_and.reduce([scene.visibility(eyes) for scene in scenes])
        return sight_balance(SightMap(grid, eye, eyes, visible), plan)

    before = balance(table, RayScene(table, floor=eye, soups_cache=soups))
    best: Suggestion | None = None
    for piece in table.pieces:
        # A piece standing on another goes where that one goes; one lower than the eye
        # blocks nothing (its triangles are not even in the scene).
        if piece.z > 0.5 or piece.top < eye:
            continue
        still = replace(table, pieces=tuple(p for p in table.pieces if p.id != piece.id))
        others = RayScene(still, floor=eye, soups_cache=soups)
        for dx, dy, turn in MOVES:
            moved = replace(
                piece, x=piece.x + dx, y=piece.y + dy, rotation=(piece.rotation + turn) % 360
            )
            if not _allowed(table, moved, plan, gap):
                continue
            pieces = tuple(moved if p.id == piece.id else p for p in table.pieces)
            trial = replace(table, pieces=pieces)
            alone = RayScene(replace(table, pieces=(moved,)), floor=eye, soups_cache=soups)
            after = balance(trial, others, alone)
            if after > before + BETTER_BY and (best is None or after > best.after):
                best = Suggestion(piece.id, piece.name, dx, dy, turn, before, after)
    return best
