"""Model bases: round and oval sizes, and the gap each needs to pass between two pieces."""

import pytest

from terrain_desktop.planning.bases import Base, common_bases, parse_base


@pytest.mark.parametrize(
    ("text", "length", "width", "passes"),
    [("32", 32, 32, 32), ("40mm", 40, 40, 40), ("60x35", 60, 35, 35), ("35 x 60 MM", 60, 35, 35)],
)
def test_bases_are_read_round_or_oval(
    text: str, length: float, width: float, passes: float
) -> None:
    base = parse_base(text)

    assert (base.length, base.width, base.passes) == (length, width, passes)


@pytest.mark.parametrize("text", ["", "big", "10mm", "250", "60x10", "32in"])
def test_odd_bases_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match="base"):
        parse_base(text)


def test_the_common_bases_run_from_25_to_170_mm() -> None:
    bases = common_bases()

    assert min(b.width for b in bases) == 25 and max(b.length for b in bases) == 170
    assert Base(32, 32) in bases and Base(60, 35) in bases
    assert str(Base(60, 35)) == "60 x 35 mm oval" and str(Base(32, 32)) == "32 mm round"
