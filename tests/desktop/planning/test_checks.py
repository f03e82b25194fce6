"""Checks on constructed tables whose answers are known by construction."""

import random
from itertools import combinations

import pytest

from terrain_desktop.planning.checks import Kind, check_table
from terrain_desktop.planning.footprints import footprint

from .tables import box, table


def kinds(findings: list, kind: Kind) -> list[tuple[str, ...]]:
    return [f.pieces for f in findings if f.kind == kind]


def test_two_cubes_overlapping_by_5_mm_are_found() -> None:
    findings = check_table(
        table(box("a", 200, 200, (50, 50, 50)), box("b", 245, 200, (50, 50, 50)))
    )

    [overlap] = [f for f in findings if f.kind == Kind.OVERLAP]
    assert overlap.pieces == ("a", "b")
    assert overlap.measure == pytest.approx(5 * 50, rel=0.02)


def test_two_touching_cubes_are_neither_overlapping_nor_too_close() -> None:
    assert (
        check_table(table(box("a", 200, 200, (50, 50, 50)), box("b", 250, 200, (50, 50, 50)))) == []
    )


def test_touching_after_a_turn_is_not_an_overlap() -> None:
    # Two 50 mm cubes turned 45°: their corners meet on the diagonal, sides touch at 70.7 mm.
    pieces = (
        box("a", 200, 200, (50, 50, 50), rotation=45),
        box("b", 270.72, 200, (50, 50, 50), rotation=45),
    )

    assert kinds(check_table(table(*pieces)), Kind.OVERLAP) == []


def test_a_piece_half_off_the_edge_is_reported_and_one_inside_is_not() -> None:
    findings = check_table(
        table(box("edge", 600, 200, (60, 40, 30)), box("inside", 300, 200, (60, 40, 30)))
    )

    [off] = [f for f in findings if f.kind == Kind.OFF_TABLE]
    assert off.pieces == ("edge",)
    assert off.measure == pytest.approx(30 * 40, rel=0.02)
    assert "50%" in off.message


def test_a_piece_in_the_air_floats_and_one_stacked_on_another_does_not() -> None:
    base = box("base", 200, 200, (100, 100, 20))
    stacked = box("stacked", 200, 200, (30, 30, 30), z=20)
    floating = box("floating", 400, 200, (30, 30, 30), z=15)

    findings = check_table(table(base, stacked, floating))

    assert kinds(findings, Kind.FLOATING) == [("floating",)]
    assert kinds(findings, Kind.OVERLAP) == []  # stacked on top is not inside


def test_pieces_closer_than_a_base_are_too_close() -> None:
    near = table(box("a", 200, 200, (50, 50, 50)), box("b", 270, 200, (50, 50, 50)))  # 20 mm gap
    apart = table(box("a", 200, 200, (50, 50, 50)), box("b", 290, 200, (50, 50, 50)))  # 40 mm

    [finding] = check_table(near)
    assert finding.kind == Kind.TOO_CLOSE and finding.measure == pytest.approx(20, abs=0.5)
    assert check_table(apart) == []
    assert check_table(near, gap=15) == []


def test_a_footprint_is_the_real_outline_not_the_bounding_box() -> None:
    # An L of two boxes as one mesh: its bounding box is 100 x 100, the L covers 3/4 of it.
    import trimesh

    from terrain_desktop.planning.layout import PlacedPiece
    from terrain_meshes.display import normalised

    arm = trimesh.creation.box(extents=(100, 50, 20))
    leg = trimesh.creation.box(extents=(50, 50, 20))
    leg.apply_translation((-25, 50, 0))
    mesh = normalised(trimesh.util.concatenate([arm, leg]))
    piece = PlacedPiece("l", "l", "L", 300, 200, 0, 0, 1.0, mesh)

    assert footprint(piece).area == pytest.approx(7500, rel=0.01)
    # A cube in the L's empty corner overlaps its bounding box, not the L (5 mm from it).
    [finding] = check_table(table(piece, box("c", 325, 225, (40, 40, 40))))
    assert finding.kind == Kind.TOO_CLOSE and finding.measure == pytest.approx(5, abs=0.5)


def test_a_piece_over_the_low_step_of_a_stepped_piece_floats_by_the_step() -> None:
    # One mesh with a 20 mm high half and a 10 mm low half; a crate at z = 20 over the low half
    # is held up by nothing: its bounding box says 20 mm, its surface says 10.
    import trimesh

    from terrain_desktop.planning.layout import PlacedPiece
    from terrain_meshes.display import normalised

    high = trimesh.creation.box(bounds=[(0, 0, 0), (50, 100, 20)])
    low = trimesh.creation.box(bounds=[(50, 0, 0), (100, 100, 10)])
    step = PlacedPiece(
        "step",
        "step",
        "Step",
        200,
        200,
        0,
        0,
        1.0,
        normalised(trimesh.util.concatenate([high, low])),
    )

    over_low = check_table(table(step, box("crate", 230, 200, (30, 30, 30), z=20)))
    over_edge = check_table(table(step, box("crate", 200, 200, (30, 30, 30), z=20)))

    [floating] = [f for f in over_low if f.kind == Kind.FLOATING]
    assert floating.pieces == ("crate",) and floating.measure == pytest.approx(10, abs=0.5)
    assert kinds(over_edge, Kind.FLOATING) == []  # half of it rests on the high step


def test_every_pair_closer_than_the_gap_is_reported_and_no_other() -> None:
    """Pairs are found through a spatial index; each one a player would want to hear about
    (overlapping, or too close for a base to pass) is still reported, checked against the
    distance between every two footprints on a crowded table."""
    rng = random.Random(7)
    pieces = tuple(
        box(
            f"p{n:02d}",
            rng.uniform(20, 580),
            rng.uniform(20, 380),
            (rng.choice([20, 40, 60]), rng.choice([20, 30, 50]), 30),
            rotation=rng.choice([0, 30, 45, 90]),
        )
        for n in range(60)
    )
    shapes = {p.id: footprint(p) for p in pieces}
    expected = {
        (a.id, b.id)
        for a, b in combinations(pieces, 2)
        if 0.05 < shapes[a.id].distance(shapes[b.id]) < 32
        or shapes[a.id].intersection(shapes[b.id]).area > 1.0
    }

    findings = check_table(table(*pieces))

    reported = [f.pieces for f in findings if f.kind in (Kind.OVERLAP, Kind.TOO_CLOSE)]
    assert len(reported) == len(set(reported)) and set(reported) == expected
    assert reported == sorted(reported)  # in table order, as the panel lists them
    assert len(expected) > 30  # the table is crowded enough to ask


def test_a_piece_sunk_into_another_overlaps_and_one_resting_on_it_does_not() -> None:
    base = box("base", 200, 200, (100, 100, 20))
    resting = box("resting", 180, 180, (30, 30, 30), z=20)
    sunk = box("sunk", 225, 225, (30, 30, 30), z=8)

    findings = check_table(table(base, resting, sunk))

    assert kinds(findings, Kind.OVERLAP) == [("base", "sunk")]
    [overlap] = [f for f in findings if f.kind == Kind.OVERLAP]
    assert "sinks 12 mm into Box base" in overlap.message
