"""How good a layout is to play on, measured on its real meshes: the generator's yardstick.

Four things players argue about, each 0..1 (1 is better), from the sight map between cells:

- **balance**: the share of the table each side sees from its zone (the mean over its zone's
  cells of the cells each sees), the smaller over the larger. The zones' mutual exposure
  (`zones.zone_report`) cannot tell the sides apart (sight is symmetric: if I see you, you see
  me), what each side overlooks can: a zone behind a hill sees less of the board;
- **blocked**: how much of the table the terrain hides (the share of cell pairs that do not see
  each other), rewarded up to `BLOCKED_TARGET`, a board where half the pairs are blocked;
- **lane**: one less the longest open firing lane along the table's rows and columns, as a
  share of the longer side (a clear lane from edge to edge is the gunline players hate);
- **objectives**: how partly hidden the objectives are: each control range best with about a
  third of the sight lines from the zones to it blocked (a marker in the open or buried in a
  ruin makes a dull objective), together with how evenly the two sides see each marker.

The total weighs balance most (`WEIGHTS`), because that is the argument about fairness.
"""

from dataclasses import dataclass

import numpy as np

from terrain_desktop.planning.deployments import Deployment, objective_sight, zone_masks
from terrain_desktop.planning.sight import SightMap

BLOCKED_TARGET = 0.5
HIDDEN_TARGET = 1 / 3
WEIGHTS = {"balance": 0.5, "blocked": 0.2, "lane": 0.15, "objectives": 0.15}


@dataclass(frozen=True)
class Score:
    balance: float
    blocked: float
    """The share of cell pairs that do not see each other (0..1), as measured."""
    longest_lane: float
    """The longest open lane along a row or column, in mm."""
    objectives: float
    total: float

    def as_dict(self) -> dict[str, float]:
        return {
            "total": round(self.total, 4),
            "balance": round(self.balance, 4),
            "blocked": round(self.blocked, 4),
            "longest_lane_mm": round(self.longest_lane, 1),
            "objectives": round(self.objectives, 4),
        }


def _ratio(a: float, b: float) -> float:
    return 1.0 if max(a, b) <= 0 else min(a, b) / max(a, b)


def longest_lane(sight: SightMap) -> float:
    """The longest clear sight line between two cells of one row or one column (mm)."""
    grid = sight.grid
    index = np.arange(grid.count).reshape(grid.rows, grid.columns)
    best = 0
    for lines in (index, index.T):
        for line in lines:
            seen = sight.visible[np.ix_(line, line)]
            far = np.where(seen, np.arange(len(line))[None, :], -1).max(axis=1)
            best = max(best, int((far - np.arange(len(line))).max()))
    return best * grid.cell


def sight_balance(sight: SightMap, plan: Deployment) -> float:
    first, second = zone_masks(plan, sight.grid)
    if not first.any() or not second.any():
        return 0.0
    return _ratio(float(sight.visible[first].mean()), float(sight.visible[second].mean()))


def score(sight: SightMap, plan: Deployment) -> Score:
    balance = sight_balance(sight, plan)
    blocked = float(1.0 - sight.visible.mean())
    lane = longest_lane(sight)
    longer = max(sight.grid.width, sight.grid.depth)
    terms = [
        0.5 * (1 - min(1.0, abs(seen.hidden - HIDDEN_TARGET) * 1.5))
        + 0.5 * _ratio(seen.from_first, seen.from_second)
        for seen in objective_sight(sight, plan)
    ]
    objectives = float(np.mean(terms)) if terms else 1.0
    parts = {
        "balance": balance,
        "blocked": min(1.0, blocked / BLOCKED_TARGET),
        "lane": 1.0 - min(1.0, lane / longer),
        "objectives": objectives,
    }
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return Score(balance, blocked, lane, objectives, total)
