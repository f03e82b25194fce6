"""The ladder as the server stores and serves it: which tiers exist and which are *previews*.

A model is sold by its mesh, so what anyone may download without owning it must not be enough
to print it well. A *preview* tier is a decimated copy with at most a quarter of the original's
triangles (`PREVIEW_SHARE`) that keeps the model's shape (`lod.MAX_DEVIATION`: no point more
than 2% of the model's diagonal from the other surface) — never the original mesh itself,
however small the model. The server gives previews to everyone and the other tiers (and the
original) only to the artist, admins, buyers and, for free models, everyone
(`server.services.mesh_access`).

The ladder's budgets are `lod.LADDER` under the server's display limit, plus one budget at
exactly a quarter of the model when none of those is a preview, so every model above a handful
of triangles has a preview as good as the rule allows. The desktop's local import builds its
ladder with this same code.

Small models (`SMALL_MODEL`). A model of a few hundred triangles is already minimal — a tower
of seventeen boxes has 204 triangles, twelve a box — and no quarter of it keeps its shape:
decimation can only join corners of different parts, and the preview shows torn spikes where
the pictures show a tower. Such a model has no detail to withhold beyond its shape, and showing
the shape is the preview's job; what must stay with the artist is the file that prints right.
So when no reduced tier keeps the shape, the preview of a small model is `coarse`: the model
with every corner moved to the centre of its cell of a grid of 1/`COARSE_STEPS` of its diagonal
(corners closer than a cell merged). The eye sees the same piece; no dimension is the artist's
(each corner off by up to 0.8% of the diagonal along each axis, about a millimetre on the
110 mm tower), so
it neither fits its neighbours nor is the file sold. A larger model whose quarter does not keep
its shape gets no preview at all (the catalogue shows the server's pictures): protection first.
Tiers that do not keep the shape are not stored either: the scene draws the next denser one.
"""

from dataclasses import dataclass

import numpy as np
import trimesh

from terrain_meshes import deviation, lod

#: A preview tier has at most 1 / PREVIEW_SHARE of the original's triangles.
PREVIEW_SHARE = 4
#: Below this many triangles a quarter of a model is no longer a shape: no preview is made.
MIN_PREVIEW_TRIANGLES = 4
#: Up to this many triangles a model whose quarter loses its shape gets a `coarse` preview.
SMALL_MODEL = 2_000
#: A `coarse` preview's grid has cells of the model's diagonal / this.
COARSE_STEPS = 64


def preview_cap(original_triangles: int) -> int:
    """The most triangles a preview of a model of `original_triangles` may have."""
    return original_triangles // PREVIEW_SHARE


def budgets_for(original_triangles: int, top: int = lod.LADDER[0]) -> tuple[int, ...]:
    """The ladder's budgets, densest first, for a model of `original_triangles`: `lod.LADDER`
    with the densest at most `top`, and the preview budget added when it is not there."""
    budgets = [top, *(b for b in lod.LADDER if b < top)] if top < lod.LADDER[0] else [*lod.LADDER]
    cap = preview_cap(original_triangles)
    if cap >= MIN_PREVIEW_TRIANGLES and cap < budgets[0] and cap not in budgets:
        budgets.append(cap)
    return tuple(sorted(set(budgets), reverse=True))


def keeps_shape(tier: trimesh.Trimesh) -> bool:
    """True when `tier` was measured within `lod.MAX_DEVIATION` of its model."""
    return lod.deviation_of(tier) <= lod.MAX_DEVIATION


def is_preview(tier: trimesh.Trimesh, mesh: trimesh.Trimesh, original_triangles: int) -> bool:
    """True when `tier` may be shown to anyone: a reduced copy (never `mesh` itself) within
    the preview cap of both the file's and the whole mesh's triangle counts, true to its
    shape."""
    cap = preview_cap(min(original_triangles, len(mesh.faces)))
    return tier is not mesh and 0 < len(tier.faces) <= cap and keeps_shape(tier)


def coarse(mesh: trimesh.Trimesh) -> trimesh.Trimesh | None:
    """The small model's preview (see the module's docstring), its deviation measured; None
    when snapping changes nothing or the result does not keep the shape."""
    cell = float(np.linalg.norm(mesh.extents)) / COARSE_STEPS
    if cell <= 0:
        return None
    copy = lod.snapped(mesh, cell)
    same = copy.vertices.shape == mesh.vertices.shape and np.allclose(
        np.sort(copy.vertices, axis=0), np.sort(mesh.vertices, axis=0)
    )
    copy.metadata[lod.DEVIATION] = deviation.deviation(mesh, copy)
    return None if same or not keeps_shape(copy) or len(copy.faces) == 0 else copy


@dataclass(frozen=True)
class Tier:
    mesh: trimesh.Trimesh
    #: May be shown to anyone (see `is_preview`).
    preview: bool
    #: The whole mesh itself (the densest tier, full resolution).
    full: bool

    @property
    def triangles(self) -> int:
        return len(self.mesh.faces)


def stored_ladder(
    mesh: trimesh.Trimesh, display: tuple[trimesh.Trimesh, ...], original_triangles: int
) -> list[Tier]:
    """Every distinct mesh of a model worth storing, densest first: the whole mesh, then each
    display tier that keeps the shape and is not the same mesh as the one before it (a light
    model's tiers share one mesh), and for a small model without a faithful preview its
    `coarse` copy."""
    tiers = [Tier(mesh, preview=False, full=True)]
    for candidate in display:
        if any(candidate is t.mesh for t in tiers) or len(candidate.faces) == 0:
            continue
        if keeps_shape(candidate):
            tiers.append(Tier(candidate, is_preview(candidate, mesh, original_triangles), False))
    small = min(original_triangles, len(mesh.faces)) <= SMALL_MODEL
    if small and preview_cap(len(mesh.faces)) >= MIN_PREVIEW_TRIANGLES:
        copy = None if any(t.preview for t in tiers) else coarse(mesh)
        if copy is not None:
            tiers.append(Tier(copy, preview=True, full=False))
    return [tiers[0], *sorted(tiers[1:], key=lambda t: -t.triangles)]
