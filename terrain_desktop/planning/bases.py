"""Model bases: the round and oval sizes wargames use, and the gap each needs to pass.

A base passes between two pieces when the gap is at least its narrower side (an oval base is
turned to go through edge first), so a round 40 mm base needs 40 mm and a 60 x 35 mm oval
35 mm. The sizes are the common ones of Games Workshop and most other makers (25–170 mm);
any other size in that range is accepted as written.
"""

import re
from dataclasses import dataclass

ROUND_MM = (25, 28, 28.5, 32, 40, 50, 60, 65, 80, 90, 100, 130, 160)
OVAL_MM = ((60, 35), (75, 42), (90, 52), (105, 70), (120, 92), (150, 95), (170, 105))
SMALLEST, LARGEST = 20.0, 200.0

_BASE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:x\s*(\d+(?:\.\d+)?))?\s*(mm)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Base:
    length: float
    width: float

    @property
    def round(self) -> bool:
        return self.length == self.width

    @property
    def passes(self) -> float:
        """The gap (mm) this base needs to get between two pieces."""
        return min(self.length, self.width)

    def __str__(self) -> str:
        if self.round:
            return f"{self.length:g} mm round"
        return f"{self.length:g} x {self.width:g} mm oval"


def parse_base(text: str) -> Base:
    """ "32", "40mm" (round) or "60x35", "60x35mm" (oval, in either order)."""
    found = _BASE.match(text)
    if found is None:
        raise ValueError("a base looks like 32mm (round) or 60x35mm (oval)")
    first = float(found.group(1))
    second = float(found.group(2) or first)
    length, width = max(first, second), min(first, second)
    if not (width >= SMALLEST and length <= LARGEST):
        raise ValueError(f"a base is between {SMALLEST:g} and {LARGEST:g} mm")
    return Base(length, width)


def common_bases() -> list[Base]:
    return [Base(float(d), float(d)) for d in ROUND_MM] + [
        Base(float(a), float(b)) for a, b in OVAL_MM
    ]
