"""Rectangles onto plates: the parts' outlines on a printer's bed, a gap between each two.

MaxRects with the best-short-side-fit rule (Jylänki, "A Thousand Ways to Pack the Bin", 2010),
the packer slicers' auto-arrange is built on: each plate keeps the free rectangles left over,
each part goes where the leftover side is smallest, turned a quarter when that fits better.
Parts are taken largest first and go on the first plate with room (first-fit decreasing), so
the plates are few and full. Each part's rectangle is grown by the gap before packing, so two
parts are at least `gap` apart and each stays `gap / 2` inside the bed's edges.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """Where a part lies on its plate: its corner nearest the bed's origin, and its size
    as it lies (`turned`: a quarter turn from the size it was given)."""

    x: float
    y: float
    width: float
    depth: float
    turned: bool


@dataclass
class Bin:
    width: float
    depth: float
    free: list[tuple[float, float, float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.free = [(0.0, 0.0, self.width, self.depth)]

    def place(self, width: float, depth: float) -> tuple[float, float, bool] | None:
        """The best spot for a width x depth rectangle (either way round), taken; or None."""
        best: tuple[float, float, float, float, bool] | None = None
        for fx, fy, fw, fd in self.free:
            for w, d, turned in ((width, depth, False), (depth, width, True)):
                if w <= fw + 1e-9 and d <= fd + 1e-9:
                    short, long = sorted((fw - w, fd - d))
                    if best is None or (short, long) < (best[0], best[1]):
                        best = (short, long, fx, fy, turned)
        if best is None:
            return None
        _, _, x, y, turned = best
        w, d = (depth, width) if turned else (width, depth)
        self._split((x, y, w, d))
        return x, y, turned

    def _split(self, used: tuple[float, float, float, float]) -> None:
        ux, uy, uw, ud = used
        pieces: list[tuple[float, float, float, float]] = []
        for fx, fy, fw, fd in self.free:
            if ux >= fx + fw or ux + uw <= fx or uy >= fy + fd or uy + ud <= fy:
                pieces.append((fx, fy, fw, fd))
                continue
            if ux > fx:
                pieces.append((fx, fy, ux - fx, fd))
            if ux + uw < fx + fw:
                pieces.append((ux + uw, fy, fx + fw - ux - uw, fd))
            if uy > fy:
                pieces.append((fx, fy, fw, uy - fy))
            if uy + ud < fy + fd:
                pieces.append((fx, uy + ud, fw, fy + fd - uy - ud))
        self.free = [r for r in pieces if not any(_inside(r, o) for o in pieces if o is not r)]
        # Duplicates contain each other; keep one of each.
        self.free = list(dict.fromkeys(self.free))


def _inside(
    inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]
) -> bool:
    if inner == outer:
        return False
    ix, iy, iw, id_ = inner
    ox, oy, ow, od = outer
    return ix >= ox and iy >= oy and ix + iw <= ox + ow and iy + id_ <= oy + od


def pack(
    sizes: list[tuple[float, float]], bed: tuple[float, float], gap: float
) -> list[tuple[int, Slot] | None]:
    """For each (width, depth): its plate number (from 0) and slot, or None when it fits no
    empty plate. Deterministic: the same parts always land in the same places."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][0] * sizes[i][1], i))
    bins: list[Bin] = []
    placed: list[tuple[int, Slot] | None] = [None] * len(sizes)
    for index in order:
        width, depth = sizes[index]
        grown = (width + gap, depth + gap)
        if not Bin(*bed).place(*grown):
            continue
        for number, plate in enumerate([*bins, Bin(*bed)]):
            spot = plate.place(*grown)
            if spot is not None:
                if number == len(bins):
                    bins.append(plate)
                x, y, turned = spot
                w, d = (depth, width) if turned else (width, depth)
                placed[index] = (number, Slot(x + gap / 2, y + gap / 2, w, d, turned))
                break
    return placed
