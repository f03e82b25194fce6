"""The checks again after each edit, only where the edit can have changed them: the findings
are those of checking the whole table, in the same order, edit after edit."""

import random
from dataclasses import replace

from terrain_desktop.domain.units import LengthUnit
from terrain_desktop.planning.check_cache import TableChecker
from terrain_desktop.planning.checks import Kind, check_table
from terrain_desktop.planning.layout import PlacedPiece, TableLayout

from .tables import box, sample_table, table


def crowded(rng: random.Random, count: int) -> list[PlacedPiece]:
    """Boxes on a small table: overlapping, too close, off the edge, some up in the air or
    standing on a low slab (floating or resting, depending on what is under them)."""
    pieces = [box("slab", 300, 200, (200, 150, 10))]
    for n in range(count):
        raised = rng.random() < 0.25
        pieces.append(
            box(
                f"p{n:02d}",
                rng.uniform(0, 600),
                rng.uniform(0, 400),
                (rng.choice([20, 40, 60]), rng.choice([20, 30, 50]), rng.choice([5, 30])),
                z=rng.choice([10.0, 25.0]) if raised else 0.0,
                rotation=rng.choice([0, 30, 45, 90]),
            )
        )
    return pieces


def same(checker: TableChecker, layout: TableLayout, **options: object) -> list:
    found = checker.check(layout, **options)  # type: ignore[arg-type]
    assert found == check_table(layout, **options)  # type: ignore[arg-type]
    return found


def test_edit_after_edit_the_findings_are_those_of_the_whole_table() -> None:
    rng = random.Random(27)
    pieces = crowded(rng, 60)
    checker = TableChecker()
    found = same(checker, table(*pieces))
    assert {f.kind for f in found} == set(Kind)  # every kind is there to be kept or redone
    for step in range(40):
        n = rng.randrange(len(pieces))
        edit = step % 8
        if edit in (0, 1, 2):  # a move (the slab too: what stood on it now floats)
            pieces[n] = replace(pieces[n], x=rng.uniform(0, 600), y=rng.uniform(0, 400))
        elif edit == 3:
            pieces[n] = replace(pieces[n], rotation=(pieces[n].rotation + 45) % 360)
        elif edit == 4:
            pieces[n] = replace(pieces[n], z=rng.choice([0.0, 10.0, 30.0]))
        elif edit == 5:
            pieces.append(box(f"new{step}", rng.uniform(0, 600), rng.uniform(0, 400), (40, 40, 30)))
        elif edit == 6 and len(pieces) > 10:
            del pieces[n]
        else:  # two pieces moved at once (a group drag)
            m = rng.randrange(len(pieces))
            for k in {n, m}:
                pieces[k] = replace(pieces[k], x=pieces[k].x + 15, y=pieces[k].y - 10)
        same(checker, table(*pieces))


def test_another_base_unit_table_size_or_order_checks_everything_again() -> None:
    pieces = crowded(random.Random(3), 40)
    checker = TableChecker()
    same(checker, table(*pieces))
    same(checker, table(*pieces), gap=50.0)
    same(checker, table(*pieces), gap=50.0, unit=LengthUnit.INCH)
    same(checker, table(*pieces, width=500.0))
    same(checker, table(*reversed(pieces), width=500.0))
    same(checker, table())


def test_the_sample_table_s_real_pieces_moved_one_by_one() -> None:
    layout = sample_table(copies=2)
    pieces = list(layout.pieces)
    checker = TableChecker()
    same(checker, layout)
    for n in range(0, len(pieces), 3):  # onto their neighbour: overlaps and stacks
        target = pieces[(n + 1) % len(pieces)]
        pieces[n] = replace(pieces[n], x=target.x + 5, y=target.y)
        same(checker, replace(layout, pieces=tuple(pieces)))
