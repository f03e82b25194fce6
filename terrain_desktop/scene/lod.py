"""Level of detail by screen size: each piece drawn with the tier its size on screen needs.

A software renderer's frame time follows the triangles drawn (benchmarks/RESULTS.md), and
real terrain carries 100,000+ triangles a piece. So before every render each piece gets the
densest tier of its ladder (`terrain_meshes.lod`) that stays under `TRIANGLES_PER_PIXEL`
times the area it covers on screen; if the whole scene would still pass `SCENE_BUDGET`, every
piece steps down together until it fits. A piece far away or small on screen is drawn with a
few hundred triangles, one filling the view with its densest tier.

Switching never pops a piece out: the actor stays and only its mapper changes, every tier
is the whole model (same footprint and silhouette within a few percent, tested in
`tests/meshes`), and while the view moves the choice has hysteresis so a piece near a
threshold does not flicker (at rest every tier is chosen afresh: `scene/interactive.py`).
"""

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyvista as pv

#: Triangles a piece may draw per pixel of the disc it covers on screen.
TRIANGLES_PER_PIXEL = 0.5
#: Most triangles the pieces of one frame may draw together.
SCENE_BUDGET = 600_000
#: A piece keeps its tier until its allowance moves this far past the tier's size.
HYSTERESIS = 1.3
#: The tier drawn only while the view moves keeps this fraction of the coarsest tier's
#: triangles: at 1,000 pieces the coarsest tiers alone are ~370,000 triangles, and a software
#: renderer transforms every vertex on one core (benchmarks/viewport_real.py).
MOTION_TIER = 0.25


@dataclass
class _Piece:
    actor: Any
    mappers: list[Any]
    triangles: np.ndarray
    radius: float
    #: Tiers drawn at rest (the last ones, past these, only while moving).
    rest: int
    #: Per tier: its back faces never show, so they are culled (`scene/closed.py`).
    cull: list[bool]
    tier: int = field(default=0)
    #: Not chosen for yet: its first tier is what the camera asks for, whatever hysteresis.
    new: bool = field(default=True)


def ladder(path: Path, budgets: tuple[int, ...]) -> list[pv.PolyData]:
    """The display tiers of a mesh file, densest first, shaded: merged and repaired first, so
    even a file written before the pipeline kept meshes whole is simplified whole."""
    import trimesh

    from terrain_meshes import lod, repair

    mesh = trimesh.load(path, force="mesh", process=False)
    tiers = lod.ladder(repair.whole(mesh), budgets)
    shaded: dict[int, pv.PolyData] = {}
    for tier in tiers:
        if id(tier) not in shaded:
            faces = np.hstack([np.full((len(tier.faces), 1), 3), tier.faces]).ravel()
            surface = pv.PolyData(np.asarray(tier.vertices, dtype=np.float32), faces)
            shaded[id(tier)] = surface.compute_normals(
                split_vertices=True, feature_angle=40, auto_orient_normals=False
            )
    return [shaded[id(tier)] for tier in tiers]


def motion_tier(coarsest: Any) -> pv.PolyData | None:
    """A coarser copy of a ladder's last tier, for frames drawn while the view moves (half
    size there: `scene/interactive.py`), or None when that tier is small already."""
    from vtkmodules.vtkFiltersCore import vtkQuadricDecimation

    surface = pv.PolyData(coarsest)
    if surface.n_cells < 120:
        return None
    welded = pv.PolyData(surface.points, surface.faces).clean()  # whole again, no split normals
    decimate = vtkQuadricDecimation()
    decimate.SetInputData(welded)
    decimate.SetTargetReduction(1.0 - MOTION_TIER)
    decimate.VolumePreservationOn()
    decimate.Update()
    lighter = pv.PolyData(decimate.GetOutput())
    if lighter.n_cells == 0 or lighter.n_cells >= surface.n_cells:
        return None
    return lighter.compute_normals(split_vertices=True, feature_angle=40, auto_orient_normals=False)


class LevelOfDetail:
    """Chooses every tracked piece's tier before each render of `renderer`."""

    def __init__(self, renderer: Any, budget: int = SCENE_BUDGET) -> None:
        self.renderer = renderer
        self.budget = budget
        self.enabled = True
        self._pieces: dict[int, _Piece] = {}
        #: How far past a tier's size a piece's allowance must move before it switches; 1.0
        #: chooses every tier afresh from the camera alone (`scene/interactive.py` keeps the
        #: hysteresis for frames drawn while something moves, where a switch could flicker).
        self.hysteresis = HYSTERESIS
        #: Set while the view moves (`scene/interactive.py`): the motion-only tiers may be drawn.
        self.moving = False
        self._matrix: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        renderer.AddObserver("StartEvent", lambda *_: self.update())

    def track(
        self,
        actor: Any,
        mappers: list[Any],
        triangles: list[int],
        rest: int | None = None,
        cull: list[bool] | None = None,
    ) -> None:
        """Draw `actor` with one of `mappers` (densest first, `triangles` each); the tiers
        past the first `rest` only while the view moves (`moving`); back faces culled for
        the tiers `cull` says hide them."""
        bounds = mappers[0].GetInput().GetBounds()
        radius = 0.5 * math.dist(bounds[0::2], bounds[1::2])
        count = len(mappers) if rest is None else rest
        culled = list(cull) if cull is not None else [False] * len(mappers)
        self._pieces[id(actor)] = _Piece(
            actor, mappers, np.asarray(triangles), radius, count, culled
        )
        actor.GetProperty().SetBackfaceCulling(culled[0])
        self._matrix = {}
        actor.SetMapper(mappers[0])

    def forget(self, actor: Any) -> None:
        self._pieces.pop(id(actor), None)
        self._matrix = {}

    def tier_of(self, actor: Any) -> int:
        return self._pieces[id(actor)].tier

    def drawn_triangles(self) -> int:
        return int(sum(p.triangles[p.tier] for p in self._pieces.values()))

    def update(self) -> None:
        if not self.enabled or not self._pieces:
            return
        pieces = list(self._pieces.values())
        ladders, counts = self._ladders(pieces, self.moving)
        current = np.minimum([p.tier for p in pieces], counts - 1)
        new = np.array([p.new for p in pieces])
        pixels = self._pixel_areas(pieces)
        density = TRIANGLES_PER_PIXEL
        rows = np.arange(len(pieces))
        for _ in range(12):
            chosen = _tiers(ladders, counts, current, pixels * density, self.hysteresis, new)
            if int(ladders[rows, chosen].sum()) <= self.budget:
                break
            density /= 2
        for piece, tier in zip(pieces, chosen.tolist(), strict=True):
            piece.new = False
            if tier != piece.tier:
                piece.tier = tier
                piece.actor.SetMapper(piece.mappers[tier])
                piece.actor.GetProperty().SetBackfaceCulling(piece.cull[tier])

    def _ladders(self, pieces: list[_Piece], moving: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every piece's triangles by tier as one array (a short ladder padded with its last
        tier), and each ladder's length, with the motion-only tiers or without: the choice
        is made for all pieces at once, which keeps a frame's Python work small at 1,000."""
        if moving not in self._matrix or len(self._matrix[moving][1]) != len(pieces):
            ladders = [p.triangles if moving else p.triangles[: p.rest] for p in pieces]
            width = max(len(t) for t in ladders)
            padded = np.array([np.pad(t, (0, width - len(t)), mode="edge") for t in ladders])
            self._matrix[moving] = (padded, np.array([len(t) for t in ladders]))
        return self._matrix[moving]

    def _pixel_areas(self, pieces: list[_Piece]) -> np.ndarray:
        """Area in pixels of the disc each piece covers on screen (its bounding sphere's)."""
        camera = self.renderer.GetActiveCamera()
        height = max(1, self.renderer.GetSize()[1])
        scales = np.array([p.actor.GetScale()[0] for p in pieces])
        radii = np.array([p.radius for p in pieces]) * scales
        if camera.GetParallelProjection():
            across = radii / max(camera.GetParallelScale(), 1e-9) * (height / 2)
        else:
            centres = np.array([p.actor.GetPosition() for p in pieces])
            distances = np.linalg.norm(centres - np.asarray(camera.GetPosition()), axis=1)
            half_angle = math.tan(math.radians(camera.GetViewAngle()) / 2)
            across = radii / np.maximum(distances - radii, 1e-3) / half_angle * (height / 2)
        return np.asarray(math.pi * across**2)


def _tiers(
    ladders: np.ndarray,
    counts: np.ndarray,
    current: np.ndarray,
    allowed: np.ndarray,
    hysteresis: float,
    new: np.ndarray,
) -> np.ndarray:
    """Each piece's densest tier within its `allowed` triangles (its coarsest when none is);
    with `hysteresis` above 1.0 a piece keeps its current tier while its allowance stays
    within that factor of it."""
    fits = ladders <= allowed[:, None]
    fresh = np.where(fits.any(axis=1), fits.argmax(axis=1), counts - 1)
    if hysteresis <= 1.0:
        return np.asarray(fresh)
    rows = np.arange(len(current))
    size = ladders[rows, current]
    denser = ladders[rows, np.maximum(current - 1, 0)]
    coarser_fits = (current + 1 < counts) & (size > allowed * hysteresis)
    denser_fits = (current > 0) & (denser * hysteresis < allowed)
    keep = ~new & ~coarser_fits & ~denser_fits & (size <= allowed * hysteresis)
    return np.asarray(np.where(keep, current, fresh))
