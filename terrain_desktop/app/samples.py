"""The sample dungeon: a small dungeon laid from the bundled modular kit, two rooms joined
by a corridor, made when a user asks for it (File ▸ Open sample dungeon).

It is made on request rather than on first launch so that it counts against the plan's
table limit only for those who want it. Every piece stands on the one-inch grid; walls,
doorways and pillars stand on the floor tiles (6 mm up), so Checks finds nothing wrong.
"""

from terrain_desktop.app.editor import Editor
from terrain_desktop.domain.catalogue import bundled_library, sample_asset_id

DUNGEON_NAME = "Sample dungeon"
G = 25.4
FLOOR = 6.0

#: (slug, x, y, z, rotation) on a 610 x 457 mm (24 x 18 inch) table.
DUNGEON_LAYOUT: list[tuple[str, float, float, float, float]] = [
    # Room A, 8 x 8 squares from (4, 4): 2x4 tiles.
    *(
        ("floor-tile-2x4", 4 * G + G + 2 * G * i, 4 * G + 2 * G + 4 * G * j, 0.0, 0.0)
        for i in range(4)
        for j in range(2)
    ),
    # The corridor, 4 x 3 squares: 1x1 tiles.
    *(
        ("floor-tile-1x1", 12.5 * G + G * i, 8 * G + G * j, 0.0, 0.0)
        for i in range(4)
        for j in range(3)
    ),
    # Room B, 4 x 6 squares from (16, 6): 2x2 tiles.
    *(
        ("floor-tile-2x2", 16 * G + G + 2 * G * i, 6 * G + G + 2 * G * j, 0.0, 0.0)
        for i in range(2)
        for j in range(3)
    ),
    # Room A's walls: a corner at each corner, straight walls between, a doorway east.
    ("wall-corner", 5 * G, 5 * G, FLOOR, 0.0),
    ("wall-corner", 11 * G, 5 * G, FLOOR, 90.0),
    ("wall-corner", 11 * G, 11 * G, FLOOR, 180.0),
    ("wall-corner", 5 * G, 11 * G, FLOOR, 270.0),
    *(("wall-straight", x * G, y * G, FLOOR, 0.0) for x in (7, 9) for y in (4.25, 11.75)),
    *(("wall-straight", 4.25 * G, y * G, FLOOR, 90.0) for y in (7, 9)),
    ("wall-straight", 11.75 * G, 7 * G, FLOOR, 90.0),
    ("doorway", 11.75 * G, 9 * G, FLOOR, 90.0),
    # The corridor's walls.
    *(("wall-straight", x * G, y * G, FLOOR, 0.0) for x in (13, 15) for y in (7.75, 10.25)),
    # Room B: corners, a doorway west to the corridor, a wall east.
    ("wall-corner", 17 * G, 7 * G, FLOOR, 0.0),
    ("wall-corner", 19 * G, 7 * G, FLOOR, 90.0),
    ("wall-corner", 19 * G, 11 * G, FLOOR, 180.0),
    ("wall-corner", 17 * G, 11 * G, FLOOR, 270.0),
    ("doorway", 16.25 * G, 9 * G, FLOOR, 90.0),
    ("wall-straight", 19.75 * G, 9 * G, FLOOR, 90.0),
    # In Room A: two pillars, and something to find.
    ("pillar", 6.5 * G, 6.5 * G, FLOOR, 0.0),
    ("pillar", 9.5 * G, 6.5 * G, FLOOR, 0.0),
    ("barrel", 9.5 * G, 9.5 * G, FLOOR, 0.0),
    ("crate-stack", 6.75 * G, 9.5 * G, FLOOR, 0.0),
]


def open_sample_dungeon(editor: Editor) -> str:
    """Open the sample dungeon, making it first if there is none (raises
    `TableLimitReached` when the plan holds no more tables)."""
    for table in editor.store.tables():
        if table.name == DUNGEON_NAME:
            editor.open_table(table.id)
            return table.id
    pieces = [
        {
            "id": f"dungeon-{n}-{slug}",
            "modelId": sample_asset_id(slug),
            "x": round(x, 2),
            "y": round(y, 2),
            "z": z,
            "rotation": rotation,
        }
        for n, (slug, x, y, z, rotation) in enumerate(DUNGEON_LAYOUT)
    ]
    table_id = editor.store.create_table(
        DUNGEON_NAME, 610, 457, placements=pieces, plan=editor.plan()
    )
    for asset_id in bundled_library():
        editor.store.add_library_asset(table_id, asset_id)
    editor.open_table(table_id)
    editor.tables_changed.emit(None)
    return table_id
