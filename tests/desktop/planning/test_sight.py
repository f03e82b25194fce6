"""Line of sight and deployment zones on constructed tables."""

import numpy as np
import pytest

from terrain_desktop.planning.sight import CellGrid, sight_map
from terrain_desktop.planning.zones import ZoneLayout, zone_masks, zone_report

from .tables import box, table

# A 600 x 400 table cut in two by a 50 mm tall wall along x = 300, the full depth of the table.
WALLED = table(box("wall", 300, 200, (10, 400, 50)))


def cell_at(x: float, y: float) -> int:
    index = CellGrid(600, 400).cell_at(x, y)
    assert index is not None
    return index


def test_a_wall_between_two_cells_blocks_sight_at_30_mm_but_not_above_its_top() -> None:
    left, right, also_left = cell_at(100, 200), cell_at(500, 200), cell_at(100, 50)

    low = sight_map(WALLED, eye=30)
    high = sight_map(WALLED, eye=60)

    assert not low.visible[left, right]
    assert low.visible[left, also_left]
    assert high.visible[left, right]


def test_the_heat_map_counts_what_each_cell_sees() -> None:
    open_table = sight_map(table(), eye=30)
    walled = sight_map(WALLED, eye=30)

    assert open_table.coverage == pytest.approx(np.ones(open_table.grid.count))
    left = cell_at(100, 200)
    # Behind the wall a cell sees its own 11 columns of 23, and the column on the wall's top.
    assert walled.coverage[left] == pytest.approx((12 * 15 - 1) / (23 * 15 - 1))


def test_standing_on_a_piece_raises_the_eye() -> None:
    # A 40 mm tall block beside the wall: a model standing on it looks over the 50 mm wall.
    pieces = table(box("wall", 300, 200, (10, 400, 50)), box("block", 250, 200, (60, 60, 40)))
    sight = sight_map(pieces, eye=30)

    assert sight.eyes[cell_at(250, 200), 2] == pytest.approx(70)
    assert sight.visible[cell_at(250, 200), cell_at(500, 200)]


def test_zones_behind_a_wall_see_nothing_of_each_other() -> None:
    across = table(box("wall", 300, 200, (600, 10, 50)))  # the wall runs along the long axis

    blocked = zone_report(sight_map(across, eye=30), ZoneLayout.LONG_EDGES, depth=100)
    clear = zone_report(sight_map(across, eye=60), ZoneLayout.LONG_EDGES, depth=100)

    assert blocked.first_seen_by_second == 0 and blocked.second_seen_by_first == 0
    assert blocked.balance == 1 and blocked.hidden_from_both < 0.05  # only under the wall
    assert clear.first_seen_by_second == 1 and clear.second_seen_by_first == 1


def test_a_one_sided_table_has_a_low_balance() -> None:
    # A screen in front of two thirds of the back zone: every front cell is seen from the back
    # zone's open third, but most of the back zone is hidden from the whole front zone.
    screen = table(box("screen", 200, 295, (400, 10, 50)))

    report = zone_report(sight_map(screen, eye=30), ZoneLayout.LONG_EDGES, depth=100)

    assert report.first_seen_by_second == 1
    assert report.second_seen_by_first < 0.6
    assert report.balance == pytest.approx(report.second_seen_by_first)


@pytest.mark.parametrize(
    ("layout", "first", "second"),
    [
        (ZoneLayout.LONG_EDGES, (300, 20), (300, 380)),
        (ZoneLayout.SHORT_EDGES, (20, 200), (580, 200)),
        (ZoneLayout.DIAGONAL, (20, 20), (580, 380)),
    ],
)
def test_zone_layouts_put_each_side_where_the_layout_says(
    layout: ZoneLayout, first: tuple[float, float], second: tuple[float, float]
) -> None:
    grid = CellGrid(600, 400)
    zone_a, zone_b = zone_masks(layout, grid, depth=100)

    assert zone_a[cell_at(*first)] and zone_b[cell_at(*second)]
    assert not zone_a[cell_at(300, 200)] and not zone_b[cell_at(300, 200)]
    assert not (zone_a & zone_b).any()
