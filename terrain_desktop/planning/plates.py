"""The print plan: every copy of every piece a table needs, laid out on a printer's plates.

Each piece is printed as it stands on the table when that fits the bed; when it is too tall or
too wide that way it is laid on whichever side fits and rests on the most flat surface (a
wall on its face, a tower on its side). The parts are then packed onto plates (`packing`), a
gap between each two, and each plate is written as one 3MF (millimetres, one named object per
part) that a slicer opens as arranged.

Filament and time are estimates for FDM printing, stated with their assumptions
(`PrintSettings`): a solid shell of `wall_mm` around an inside filled at `infill`, extruded at
an average `flow_mm3_s`, plus the plate's heating and levelling.
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh

from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_desktop.planning.packing import Slot, pack
from terrain_desktop.planning.printing import PLA_GRAMS_PER_CM3, Printer

DEFAULT_GAP = 5.0
FILAMENT_DIAMETER = 1.75

#: Quarter turns that put each side of a piece down, in the order tried after upright.
_SIDES = {
    "on its side (X up)": ((0, 1, 0), math.pi / 2),
    "on its side (X down)": ((0, 1, 0), -math.pi / 2),
    "on its side (Y up)": ((1, 0, 0), -math.pi / 2),
    "on its side (Y down)": ((1, 0, 0), math.pi / 2),
}


@dataclass(frozen=True)
class PrintSettings:
    infill: float = 0.15
    wall_mm: float = 1.2
    flow_mm3_s: float = 8.0
    plate_minutes: float = 5.0

    def describe(self) -> str:
        return (
            f"FDM in PLA ({PLA_GRAMS_PER_CM3:g} g/cm³, {FILAMENT_DIAMETER:g} mm filament): "
            f"{self.wall_mm:g} mm solid walls, {self.infill:.0%} infill inside; time at "
            f"{self.flow_mm3_s:g} mm³/s average plus {self.plate_minutes:g} min per plate"
        )


@dataclass(frozen=True)
class Part:
    """One copy of one piece, turned the way it prints, standing on z = 0 at the origin."""

    piece: PlacedPiece
    name: str
    orientation: str
    mesh: trimesh.Trimesh = field(repr=False, compare=False)

    @property
    def size(self) -> tuple[float, float, float]:
        x, y, z = self.mesh.extents
        return float(x), float(y), float(z)


@dataclass(frozen=True)
class PlacedPart:
    part: Part
    slot: Slot

    def mesh(self) -> trimesh.Trimesh:
        """The part where it lies on the plate (bed coordinates, mm)."""
        mesh = self.part.mesh.copy()
        if self.slot.turned:
            mesh.apply_transform(trimesh.transformations.rotation_matrix(math.pi / 2, (0, 0, 1)))
        low = mesh.bounds[0]
        mesh.apply_translation((self.slot.x - low[0], self.slot.y - low[1], -low[2]))
        return mesh


@dataclass(frozen=True)
class Plate:
    number: int
    parts: tuple[PlacedPart, ...]

    def used_cm3(self, settings: PrintSettings) -> float:
        return sum(filament_cm3(p.part.mesh, settings) for p in self.parts)

    def hours(self, settings: PrintSettings) -> float:
        seconds = self.used_cm3(settings) * 1000 / settings.flow_mm3_s
        return seconds / 3600 + settings.plate_minutes / 60


@dataclass(frozen=True)
class PrintPlan:
    table: str
    printer: Printer
    gap: float
    settings: PrintSettings
    plates: tuple[Plate, ...]
    too_big: tuple[Part, ...]
    """Parts that fit the bed no way up: to be split, or printed elsewhere."""

    def used_cm3(self) -> float:
        return sum(p.used_cm3(self.settings) for p in self.plates)

    def summary(self) -> dict[str, object]:
        """The numbers the CLI prints and the window shows."""
        s = self.settings
        return {
            "table": self.table,
            "printer": {
                "name": self.printer.name,
                "bed_mm": [self.printer.x, self.printer.y, self.printer.z],
            },
            "gap_mm": self.gap,
            "assumptions": s.describe(),
            "plates": [
                {
                    "plate": plate.number,
                    "parts": [p.part.name for p in plate.parts],
                    "laid_down": {
                        p.part.name: p.part.orientation
                        for p in plate.parts
                        if p.part.orientation != "upright"
                    },
                    "filament_g": round(plate.used_cm3(s) * PLA_GRAMS_PER_CM3, 1),
                    "filament_m": round(metres(plate.used_cm3(s)), 2),
                    "hours": round(plate.hours(s), 1),
                }
                for plate in self.plates
            ],
            "parts": sum(len(p.parts) for p in self.plates),
            "filament_g": round(self.used_cm3() * PLA_GRAMS_PER_CM3, 1),
            "filament_m": round(metres(self.used_cm3()), 2),
            "hours": round(sum(p.hours(s) for p in self.plates), 1),
            "too_big": [p.name for p in self.too_big],
        }


def metres(cm3: float) -> float:
    area_mm2 = math.pi * (FILAMENT_DIAMETER / 2) ** 2
    return cm3 * 1000 / area_mm2 / 1000


def filament_cm3(mesh: trimesh.Trimesh, settings: PrintSettings) -> float:
    """The shell solid, the rest at the infill. A mesh loaded as a triangle soup (STL) is
    welded first; one still open has no inside to measure, and its box stands in for it."""
    if not mesh.is_watertight:
        mesh = mesh.copy()
        mesh.merge_vertices()
    volume = abs(float(mesh.volume)) if mesh.is_watertight else float(np.prod(mesh.extents))
    shell = min(volume, float(mesh.area) * settings.wall_mm)
    return (shell + settings.infill * (volume - shell)) / 1000


def _flat_area(mesh: trimesh.Trimesh) -> float:
    """How much of the mesh rests on the bed: downward faces at its lowest height."""
    normals = np.asarray(mesh.face_normals)
    lowest = np.asarray(mesh.triangles)[:, :, 2].max(axis=1) <= mesh.bounds[0][2] + 0.2
    return float(np.asarray(mesh.area_faces)[(normals[:, 2] < -0.99) & lowest].sum())


def _fits(mesh: trimesh.Trimesh, printer: Printer, gap: float) -> bool:
    x, y, z = mesh.extents
    w, d = printer.x - gap, printer.y - gap
    return bool(z <= printer.z and ((x <= w and y <= d) or (y <= w and x <= d)))


def orient(piece: PlacedPiece, printer: Printer, gap: float, name: str) -> Part:
    """Upright when that fits the bed; else the side that fits with most of it flat down."""
    upright = piece.mesh.copy()
    upright.apply_scale(piece.scale)
    if _fits(upright, printer, gap):
        return Part(piece, name, "upright", upright)
    sides: list[tuple[float, int, str, trimesh.Trimesh]] = []
    for orientation, (axis, angle) in _SIDES.items():
        turned = upright.copy()
        turned.apply_transform(trimesh.transformations.rotation_matrix(angle, axis))
        if _fits(turned, printer, gap):
            sides.append((-_flat_area(turned), len(sides), orientation, turned))
    if not sides:
        return Part(piece, name, "", upright)
    _, _, orientation, turned = min(sides)
    return Part(piece, name, orientation, turned)


def plan_plates(
    table: TableLayout,
    printer: Printer,
    gap: float = DEFAULT_GAP,
    settings: PrintSettings | None = None,
    include: Callable[[PlacedPiece], bool] = lambda _: True,
) -> PrintPlan:
    """Every piece `include` keeps (the owned ones), each once, on as few plates as fit."""
    seen: Counter[str] = Counter()
    parts = []
    turned: dict[tuple[str, float], Part] = {}  # copies of an asset share one turned mesh
    for piece in table.pieces:
        if include(piece):
            seen[piece.name] += 1
            name = f"{piece.name} {seen[piece.name]}"
            first = turned.get((piece.asset_id, piece.scale))
            if first is None:
                first = turned[piece.asset_id, piece.scale] = orient(piece, printer, gap, name)
            parts.append(Part(piece, name, first.orientation, first.mesh))
    sizes = [(p.size[0], p.size[1]) if p.orientation else (math.inf, math.inf) for p in parts]
    spots = pack(sizes, (printer.x, printer.y), gap)
    plates: dict[int, list[PlacedPart]] = {}
    too_big = []
    for part, spot in zip(parts, spots, strict=True):
        if spot is None:
            too_big.append(part)
        else:
            plates.setdefault(spot[0], []).append(PlacedPart(part, spot[1]))
    return PrintPlan(
        table.name,
        printer,
        gap,
        settings or PrintSettings(),
        tuple(Plate(n + 1, tuple(plates[n])) for n in sorted(plates)),
        tuple(too_big),
    )


def write_plates(plan: PrintPlan, folder: Path) -> list[Path]:
    """One 3MF per plate, `plate-01.3mf` and on: millimetres, one named object per part."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for plate in plan.plates:
        scene = trimesh.Scene()
        for placed in plate.parts:
            name = placed.part.name
            scene.add_geometry(placed.mesh(), node_name=name, geom_name=name)
        path = folder / f"plate-{plate.number:02d}.3mf"
        path.write_bytes(scene.export(file_type="3mf"))
        written.append(path)
    return written
