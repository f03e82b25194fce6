"""The bundled deployment maps, as data: zones and objectives in inches from the table's centre.

Each map is drawn on its reference table, long axis first (`u` along the long edges, `v`
along the short ones). A coordinate is written as an anchor and an offset in inches:
``"-e+18"`` is 18 in in from the negative edge, ``"+e-10"`` 10 in in from the positive edge,
``"0"`` the centre line and ``"+9"`` 9 in from it. Keeping the anchor is what lets a map sit on
a table of another size (see `deployments.py`): players measure zone depths from the edge they
deploy on, and the map cards do too.

Sources and assumptions:

- The six Warhammer 40,000 maps are those of the current matched-play mission deck
  (Chapter Approved 2025-26: Dawn of War, Hammer and Anvil, Search and Destroy, Sweeping
  Engagement, Crucible of Battle, Tipping Point) on the 60 x 44 in Strike Force table, as
  printed on the deck's deployment cards, cross-checked against the published numbers that
  tournament tools use (carltographer's mission data). Zone depths: Dawn of War 10 in from
  each long edge; Hammer and Anvil 18 in from each short edge; Search and Destroy opposite
  table quarters less 9 in around the centre (the rounded corner); Sweeping Engagement 8 in
  from a long edge over one half and 14 in over the other; Crucible of Battle the triangle from
  a short edge to the middle of the far long edge; Tipping Point 12 in from a short edge over
  one half and 20 in over the other. Every map has an objective in the centre; the others
  are where the cards print them (for example 6 in in from the long edges on Dawn of War).
- The skirmish maps are assumptions, stated here because no single published card defines
  them: long edges and short edges are 12 in strips (the old "pitched battle"), corners are
  opposite quarter circles of 12 in radius about two corners; each has a centre objective and
  two more 12 in from it across the line between the zones, where neither side starts nearer
  (on the other diagonal for corners: 8.5 in each way).
- Objective markers are 40 mm across; a model controls one within 3 in of the marker.
"""

from typing import Any

REFERENCE = (60.0, 44.0)
"""The table (long x short, inches) the maps are printed for."""

MARKER_MM = 40.0
CONTROL_RANGE_IN = 3.0

MAPS: list[dict[str, Any]] = [
    {
        "name": "Dawn of War",
        "game": "Warhammer 40,000",
        "zones": [
            {"polygon": [("-e", "-e"), ("+e", "-e"), ("+e", "-e+10"), ("-e", "-e+10")]},
            {"polygon": [("-e", "+e-10"), ("+e", "+e-10"), ("+e", "+e"), ("-e", "+e")]},
        ],
        "objectives": [("0", "0"), ("-e+10", "0"), ("+e-10", "0"), ("0", "-e+6"), ("0", "+e-6")],
        "checks": {"zone_depth": 10.0},
    },
    {
        "name": "Hammer and Anvil",
        "game": "Warhammer 40,000",
        "zones": [
            {"polygon": [("-e", "-e"), ("-e+18", "-e"), ("-e+18", "+e"), ("-e", "+e")]},
            {"polygon": [("+e-18", "-e"), ("+e", "-e"), ("+e", "+e"), ("+e-18", "+e")]},
        ],
        "objectives": [("0", "0"), ("0", "-e+6"), ("0", "+e-6"), ("-e+10", "0"), ("+e-10", "0")],
        "checks": {"zone_depth": 18.0},
    },
    {
        "name": "Search and Destroy",
        "game": "Warhammer 40,000",
        "zones": [
            {"polygon": [("-e", "0"), ("0", "0"), ("0", "+e"), ("-e", "+e")], "clear": 9.0},
            {"polygon": [("0", "-e"), ("+e", "-e"), ("+e", "0"), ("0", "0")], "clear": 9.0},
        ],
        "objectives": [
            ("0", "0"),
            ("-e+14", "+e-10"),
            ("+e-14", "-e+10"),
            ("+e-14", "+e-10"),
            ("-e+14", "-e+10"),
        ],
        "checks": {"clear_of_centre": 9.0},
    },
    {
        "name": "Sweeping Engagement",
        "game": "Warhammer 40,000",
        "zones": [
            {
                "polygon": [
                    ("-e", "+e"),
                    ("+e", "+e"),
                    ("+e", "+e-8"),
                    ("0", "+e-8"),
                    ("0", "+e-14"),
                    ("-e", "+e-14"),
                ]
            },
            {
                "polygon": [
                    ("+e", "-e"),
                    ("-e", "-e"),
                    ("-e", "-e+8"),
                    ("0", "-e+8"),
                    ("0", "-e+14"),
                    ("+e", "-e+14"),
                ]
            },
        ],
        "objectives": [
            ("0", "0"),
            ("-e+18", "+e-6"),
            ("+e-18", "-e+6"),
            ("+e-10", "+e-18"),
            ("-e+10", "-e+18"),
        ],
        "checks": {"zone_depth": 14.0},
    },
    {
        "name": "Crucible of Battle",
        "game": "Warhammer 40,000",
        "zones": [
            {"polygon": [("-e", "-e"), ("-e", "+e"), ("0", "+e")]},
            {"polygon": [("+e", "+e"), ("+e", "-e"), ("0", "-e")]},
        ],
        "objectives": [
            ("0", "0"),
            ("-e+14", "+e-10"),
            ("+e-14", "-e+10"),
            ("+e-20", "+e-8"),
            ("-e+20", "-e+8"),
        ],
        "checks": {},
    },
    {
        "name": "Tipping Point",
        "game": "Warhammer 40,000",
        "zones": [
            {
                "polygon": [
                    ("-e", "+e"),
                    ("-e+20", "+e"),
                    ("-e+20", "0"),
                    ("-e+12", "0"),
                    ("-e+12", "-e"),
                    ("-e", "-e"),
                ]
            },
            {
                "polygon": [
                    ("+e", "-e"),
                    ("+e-20", "-e"),
                    ("+e-20", "0"),
                    ("+e-12", "0"),
                    ("+e-12", "+e"),
                    ("+e", "+e"),
                ]
            },
        ],
        "objectives": [
            ("0", "0"),
            ("-e+14", "+e-10"),
            ("+e-14", "-e+10"),
            ("+e-22", "+e-8"),
            ("-e+22", "-e+8"),
        ],
        "checks": {"zone_depth": 20.0},
    },
    {
        "name": "Long edges",
        "game": "skirmish",
        "zones": [
            {"polygon": [("-e", "-e"), ("+e", "-e"), ("+e", "-e+12"), ("-e", "-e+12")]},
            {"polygon": [("-e", "+e-12"), ("+e", "+e-12"), ("+e", "+e"), ("-e", "+e")]},
        ],
        "objectives": [("0", "0"), ("-12", "0"), ("+12", "0")],
        "checks": {"zone_depth": 12.0},
    },
    {
        "name": "Short edges",
        "game": "skirmish",
        "zones": [
            {"polygon": [("-e", "-e"), ("-e+12", "-e"), ("-e+12", "+e"), ("-e", "+e")]},
            {"polygon": [("+e-12", "-e"), ("+e", "-e"), ("+e", "+e"), ("+e-12", "+e")]},
        ],
        "objectives": [("0", "0"), ("0", "-12"), ("0", "+12")],
        "checks": {"zone_depth": 12.0},
    },
    {
        "name": "Corners",
        "game": "skirmish",
        "zones": [
            {"corner": ("-e", "-e"), "radius": 12.0},
            {"corner": ("+e", "+e"), "radius": 12.0},
        ],
        "objectives": [("0", "0"), ("-8.5", "+8.5"), ("+8.5", "-8.5")],
        "checks": {"corner_radius": 12.0},
    },
]
