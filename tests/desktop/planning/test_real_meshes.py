"""The planning tools on a real, third-party model: OpenForge's arched doorway (50 mm wide,
81 mm tall; at 30 mm its opening runs from about 16 mm left of its centre to 16 mm right)."""

import trimesh

from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.sight import CellGrid, sight_map
from terrain_meshes.display import normalised
from tests.shared_testdata import openforge_kit

# On a 10 x 10 inch table the cell columns are at x = 12.7 + 25.4 i. The doorway stands across
# the table between rows 4 and 5 with its centre 20 mm right of column 4: column 4 meets its
# left pillar, column 5 passes 5.4 mm right of its centre, through the opening.
DOOR_X, DOOR_Y = 114.3 + 20, 127.0


def doorway_table() -> TableLayout:
    mesh = normalised(trimesh.load(openforge_kit("arched_doorway.stl"), force="mesh"))
    door = PlacedPiece("door", "door", "Arched doorway", DOOR_X, DOOR_Y, 0, 0, 1.0, mesh)
    return TableLayout("Doorway", 254, 254, (door,))


def test_sight_passes_through_the_arch_and_not_through_its_pillar() -> None:
    table = doorway_table()
    grid = CellGrid(254, 254)
    low = sight_map(table, eye=30)
    high = sight_map(table, eye=90)  # above the doorway's 81 mm top

    def column(x: float) -> tuple[int, int]:
        near, far = grid.cell_at(x, 12.7), grid.cell_at(x, 241.3)
        assert near is not None and far is not None
        return near, far

    assert low.visible[column(139.7)]  # through the opening
    assert not low.visible[column(114.3)]  # into the pillar
    assert high.visible[column(114.3)]  # over the top


def test_the_doorway_footprint_is_its_real_outline() -> None:
    shape = footprint(doorway_table().pieces[0])

    low_x, low_y, high_x, high_y = shape.bounds
    assert round(high_x - low_x) == 50 and round(high_y - low_y, 1) == 9.2
    assert shape.area <= 50 * 9.21  # the outline, not more than its box
