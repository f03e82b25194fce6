"""Printing the pieces: does each asset fit a printer's bed, and which way up; how much
material it takes.

A piece is tried standing as it stands on the table, then on each side (the other two axes
up); each way up, it is turned on the bed in 0.5° steps until its real outline (the convex hull
of its vertices, so a diagonal L fits where its box would not) fits the bed.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
import trimesh

from terrain_desktop.planning.layout import TableLayout

#: PLA, solid; slicers print terrain hollow, so this is the upper bound.
PLA_GRAMS_PER_CM3 = 1.24
ANGLE_STEP = 0.5


@dataclass(frozen=True)
class Printer:
    name: str
    x: float
    y: float
    z: float


PRINTERS = {
    p.name: p
    for p in [
        Printer("Prusa MK4", 250, 210, 220),
        Printer("Prusa MINI+", 180, 180, 180),
        Printer("Bambu Lab A1 mini", 180, 180, 180),
        Printer("Bambu Lab P1S / X1C", 256, 256, 256),
        Printer("Creality Ender-3 V3", 220, 220, 250),
        Printer("Elegoo Saturn 4 (resin)", 218, 122, 220),
    ]
}
DEFAULT_PRINTER = "Prusa MK4"


@dataclass(frozen=True)
class Fit:
    fits: bool
    orientation: str
    """'upright', 'on its side (X up)', 'on its side (Y up)', or '' when it fits no way."""
    angle: float
    """Degrees the piece is turned on the bed (0 = straight, 45 = diagonal)."""

    def describe(self) -> str:
        if not self.fits:
            return "too big"
        turned = "" if self.angle == 0 else f", turned {self.angle:g}°"
        return f"{self.orientation}{turned}"


_WAYS_UP = {
    "upright": (0, 1, 2),
    "on its side (X up)": (1, 2, 0),
    "on its side (Y up)": (0, 2, 1),
}


def fit(vertices: np.ndarray, printer: Printer) -> Fit:
    """The first way, in the order upright, on a side, that fits; turned as little as needed."""
    angles = np.radians(np.arange(0, 90 + ANGLE_STEP, ANGLE_STEP))
    cos, sin = np.cos(angles), np.sin(angles)
    for orientation, (u, v, up) in _WAYS_UP.items():
        points = vertices[:, [u, v, up]]
        if np.ptp(points[:, 2]) > printer.z:
            continue
        flat = _hull(points[:, :2])
        along = np.ptp(flat[:, :1] * cos - flat[:, 1:] * sin, axis=0)
        across = np.ptp(flat[:, :1] * sin + flat[:, 1:] * cos, axis=0)
        for a, b in ((along, across), (across, along)):
            ok = np.flatnonzero((a <= printer.x) & (b <= printer.y))
            if ok.size:
                return Fit(True, orientation, float(np.degrees(angles[ok[0]]).round(1)))
    return Fit(False, "", 0.0)


def _hull(points: np.ndarray) -> np.ndarray:
    """The 2D convex hull's corners (monotone chain), enough to measure any turned width."""
    unique = np.unique(points.round(3), axis=0)
    if len(unique) < 3:
        return unique
    ordered = unique[np.lexsort((unique[:, 1], unique[:, 0]))]

    def half(chain: np.ndarray) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for p in chain:
            while len(out) >= 2 and _turn(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(ordered), half(ordered[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _turn(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    return float((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))


def volume_cm3(mesh: trimesh.Trimesh, scale: float = 1.0) -> float | None:
    """The solid volume, when the mesh is closed (otherwise there is no inside to measure)."""
    if not mesh.is_watertight:
        return None
    return abs(float(mesh.volume)) * scale**3 / 1000.0


@dataclass(frozen=True)
class BillLine:
    asset_id: str
    name: str
    count: int
    size_mm: tuple[float, float, float]
    fit: Fit
    volume_cm3: float | None
    thumbnail: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "asset": self.asset_id,
            "name": self.name,
            "count": self.count,
            "size_mm": [round(v, 1) for v in self.size_mm],
            "fits": self.fit.fits,
            "orientation": self.fit.describe(),
            "volume_cm3": None if self.volume_cm3 is None else round(self.volume_cm3, 1),
        }


def bill_of_materials(table: TableLayout, printer: Printer) -> list[BillLine]:
    """One line per asset (and scale) on the table, most used first."""
    counts = Counter((p.asset_id, p.scale) for p in table.pieces)
    lines = []
    for (asset_id, scale), count in counts.most_common():
        piece = next(p for p in table.pieces if p.asset_id == asset_id and p.scale == scale)
        vertices = np.asarray(piece.mesh.vertices, dtype=np.float64) * scale
        size = np.ptp(vertices, axis=0)
        lines.append(
            BillLine(
                asset_id=asset_id,
                name=piece.name if scale == 1.0 else f"{piece.name} ×{scale:g}",
                count=count,
                size_mm=(float(size[0]), float(size[1]), float(size[2])),
                fit=fit(vertices, printer),
                volume_cm3=volume_cm3(piece.mesh, scale),
                thumbnail=str(piece.thumbnail) if piece.thumbnail else None,
            )
        )
    return lines
