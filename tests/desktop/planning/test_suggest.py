""" "Suggest one move": the one move or turn that most improves the balance, and only a
move that keeps the table valid."""

from dataclasses import replace

import pytest

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.checks import check_table
from terrain_desktop.planning.deployments import deployment
from terrain_desktop.planning.scoring import sight_balance
from terrain_desktop.planning.sight import sight_map
from terrain_desktop.planning.suggest import CELL, suggest_move
from tests.desktop.planning.tables import box, table

WIDTH, DEPTH = 60 * MM_PER_INCH, 44 * MM_PER_INCH


def test_a_wall_hiding_one_side_is_moved_to_even_the_sides_out() -> None:
    plan = deployment("Dawn of War", WIDTH, DEPTH)  # zones along the long edges (y)
    # A tall wall just in front of the first zone: that side sees far less of the table.
    wall = box("wall", WIDTH / 2, 13 * MM_PER_INCH, (600, 20, 150))
    rock = box("rock", 300, 800, (100, 100, 40))
    layout = table(wall, rock, width=WIDTH, depth=DEPTH)
    before = sight_balance(sight_map(layout, cell=CELL), plan)

    found = suggest_move(layout, plan)

    assert found is not None
    assert found.before == pytest.approx(before) and found.after > before
    piece = layout.piece(found.piece_id)
    moved = replace(
        piece, x=piece.x + found.dx, y=piece.y + found.dy, rotation=piece.rotation + found.turn
    )
    after = table(
        *(moved if p.id == piece.id else p for p in layout.pieces), width=WIDTH, depth=DEPTH
    )
    assert sight_balance(sight_map(after, cell=CELL), plan) == pytest.approx(found.after)
    assert check_table(after) == []
    assert "balance" in found.describe() and found.as_dict()["piece"] == found.piece_id


def test_nothing_is_suggested_when_no_move_helps() -> None:
    plan = deployment("Dawn of War", WIDTH, DEPTH)
    # An even table: one low crate in the middle of the centre line's side, seen by all.
    layout = table(box("crate", WIDTH / 2 + 200, DEPTH / 2, (40, 40, 20)), width=WIDTH, depth=DEPTH)

    assert suggest_move(layout, plan) is None
