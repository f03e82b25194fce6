"""Symmetric tables: a half-built table completed so every piece has its twin."""

import itertools
from collections.abc import Callable

import pytest

from terrain_desktop.domain.piece import Piece
from terrain_desktop.planning.symmetry import (
    Symmetry,
    make_symmetric,
    symmetric_pieces,
    twin_pose,
    unmatched,
)

WIDTH, DEPTH = 1829.0, 1219.0  # 6 x 4 ft


def _new_id() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"twin-{next(counter)}"


HALF = [
    Piece("ruin", "ruin-asset", 400.0, 300.0, 0.0, 30.0),
    Piece("wall", "wall-asset", 1200.0, 500.0, 0.0, 95.5),
    Piece("crate", "crate-asset", 700.0, 200.0, 0.0, 0.0, 1.5),
]
FAR = [Piece("stray", "wall-asset", 900.0, 1000.0, 0.0, 10.0)]


@pytest.mark.parametrize("mode", list(Symmetry))
def test_a_half_built_table_is_completed_with_twins(mode: Symmetry) -> None:
    before = HALF + FAR
    assert sorted(unmatched(before, WIDTH, DEPTH, mode)) == ["crate", "ruin", "stray", "wall"]

    after = symmetric_pieces(before, WIDTH, DEPTH, mode, _new_id())

    assert unmatched(after, WIDTH, DEPTH, mode) == []
    assert len(after) == 6 and "stray" not in {p.id for p in after}  # the far half is redone
    by_id = {p.id: p for p in after}
    twin_of_ruin = next(p for p in after if p.id.startswith("twin") and p.asset_id == "ruin-asset")
    if mode == Symmetry.POINT:
        assert (twin_of_ruin.x, twin_of_ruin.y) == pytest.approx((WIDTH - 400, DEPTH - 300))
        assert twin_of_ruin.rotation == pytest.approx(210.0)
    else:  # mirrored across the long axis y = D/2: same x, heading reflected
        assert (twin_of_ruin.x, twin_of_ruin.y) == pytest.approx((400, DEPTH - 300))
        assert twin_of_ruin.rotation == pytest.approx(330.0)
    crate_twin = next(p for p in after if p.asset_id == "crate-asset" and p.id != "crate")
    assert crate_twin.scale == 1.5 and by_id["crate"].scale == 1.5


def test_twins_must_match_within_a_tenth_of_a_millimetre_and_degree() -> None:
    x, y, r = twin_pose(400.0, 300.0, 30.0, WIDTH, DEPTH, Symmetry.POINT)
    near = [HALF[0], Piece("t", "ruin-asset", x + 0.09, y - 0.09, 0.0, r + 0.09)]
    off = [HALF[0], Piece("t", "ruin-asset", x + 0.2, y, 0.0, r)]
    turned = [HALF[0], Piece("t", "ruin-asset", x, y, 0.0, r + 0.2)]
    other_asset = [HALF[0], Piece("t", "wall-asset", x, y, 0.0, r)]

    assert unmatched(near, WIDTH, DEPTH, Symmetry.POINT) == []
    for pieces in (off, turned, other_asset):
        assert unmatched(pieces, WIDTH, DEPTH, Symmetry.POINT) == ["ruin", "t"]


def test_mirror_follows_the_long_axis_of_a_table_standing_the_other_way() -> None:
    width, depth = 1118.0, 1524.0  # 44 x 60 in: the long axis runs along y
    piece = Piece("a", "wall-asset", 200.0, 900.0, 0.0, 20.0)

    done = make_symmetric([piece], width, depth, Symmetry.MIRROR, _new_id())

    [mirrored] = done.added
    assert (mirrored.x, mirrored.y, mirrored.rotation) == pytest.approx((918.0, 900.0, 160.0))
    assert unmatched([piece, mirrored], width, depth, Symmetry.MIRROR) == []


def test_a_piece_on_the_centre_is_its_own_twin() -> None:
    centre = Piece("c", "ruin-asset", WIDTH / 2, DEPTH / 2, 0.0, 45.0)

    done = make_symmetric([centre], WIDTH, DEPTH, Symmetry.POINT, _new_id())

    assert done.removed == [] and done.added == []
    assert unmatched([centre], WIDTH, DEPTH, Symmetry.POINT) == []
