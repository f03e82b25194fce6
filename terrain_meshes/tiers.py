"""The ladder as the server stores and serves it: which tiers exist and which are *previews*.

A model is sold by its mesh, so what anyone may download without owning it must not be enough
to print it well. A *preview* tier is a decimated copy with at most a quarter of the original's
triangles (`PREVIEW_SHARE`) — never the original mesh itself, however small the model. The
server gives previews to everyone and the other tiers (and the original) only to the artist,
admins, buyers and, for free models, everyone (`server.services.mesh_access`).

The ladder's budgets are `lod.LADDER` under the server's display limit, plus one budget at
exactly a quarter of the model when none of those is a preview, so every model above a handful
of triangles has a preview as good as the rule allows. The desktop's local import builds its
ladder with this same code.
"""

from dataclasses import dataclass

import trimesh

from terrain_meshes import lod

#: A preview tier has at most 1 / PREVIEW_SHARE of the original's triangles.
PREVIEW_SHARE = 4
#: Below this many triangles a quarter of a model is no longer a shape: no preview is made.
MIN_PREVIEW_TRIANGLES = 4


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


def is_preview(tier: trimesh.Trimesh, mesh: trimesh.Trimesh, original_triangles: int) -> bool:
    """True when `tier` may be shown to anyone: a reduced copy (never `mesh` itself) within
    the preview cap of both the file's and the whole mesh's triangle counts."""
    cap = preview_cap(min(original_triangles, len(mesh.faces)))
    return tier is not mesh and 0 < len(tier.faces) <= cap


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
    """Every distinct mesh of a model, densest first: the whole mesh, then each display tier
    that is not the same mesh as the one before it (a light model's tiers share one mesh)."""
    tiers = [Tier(mesh, preview=False, full=True)]
    for candidate in display:
        if any(candidate is t.mesh for t in tiers) or len(candidate.faces) == 0:
            continue
        tiers.append(Tier(candidate, is_preview(candidate, mesh, original_triangles), False))
    return tiers
