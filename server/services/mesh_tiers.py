"""An asset's level-of-detail ladder on the server: stored once, served by tier, by the rule.

The worker stores every mesh the pipeline made (`store`), each under a content-addressed key
(`tiers/<sha256[:2]>/<sha256>.glb`), so a tier's URL names its content and may be cached for
good. Who may fetch what (`full_access`): the artist, admins, buyers with a paid order and —
for a free asset — everyone get every tier and the original; everyone else only the *preview*
tiers (`terrain_meshes.tiers`: a decimated copy with at most a quarter of the triangles that
keeps the shape, or a small model's coarse, grid-snapped copy).
"""

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.db.models import Asset, MeshTier, Order, OrderItem, User
from server.errors import ApiError
from server.services.catalogue import is_admin
from server.storage import Storage
from terrain_protocol.errors import ErrorCode
from terrain_protocol.orders import PAID_ORDER_STATUSES


def tier_key(sha256: str) -> str:
    return f"tiers/{sha256[:2]}/{sha256}.glb"


def digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


@dataclass(frozen=True)
class Built:
    """One tier file the pipeline wrote (`terrain_meshes.pipeline.TierFile`)."""

    path: Path
    triangles: int
    preview: bool


def store(db: Session, storage: Storage, asset: Asset, built: Sequence[Built]) -> list[str]:
    """Move the files into storage and replace the asset's tier rows (flushes). Returns the
    keys this call placed, for the caller to remove if its transaction fails; level 0 (the
    whole mesh) comes first in `built`."""
    placed: list[str] = []
    db.execute(delete(MeshTier).where(MeshTier.asset_id == asset.id))
    shas = [digest(tier.path) for tier in built]
    lock_keys(db, [tier_key(sha) for sha in shas])
    for level, (tier, sha) in enumerate(zip(built, shas, strict=True)):
        key = tier_key(sha)
        size = tier.path.stat().st_size
        if not storage.exists(key):
            placed.append(key)
        storage.move_into(key, tier.path)
        db.add(
            MeshTier(
                asset_id=asset.id,
                level=level,
                triangles=tier.triangles,
                size_bytes=size,
                sha256=sha,
                storage_key=key,
                preview=tier.preview,
            )
        )
    db.flush()
    return placed


def lock_keys(db: Session, keys: Sequence[str]) -> None:
    """Hold these storage keys until the transaction ends.

    Tier files are shared by content, so a file one asset's old ladder leaves behind may be
    the very file another asset is storing right now: whoever stores a key, or removes one
    that no row names any more, holds it first (in one order, so two callers cannot deadlock).
    """
    for key in sorted(set(keys)):
        db.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def view_key(sha256: str) -> str:
    return f"views/{sha256[:2]}/{sha256}.png"


def store_views(storage: Storage, asset: Asset, files: dict[str, Path]) -> list[str]:
    """Store the catalogue page's views (content-addressed) as the asset's; the keys this
    call placed (for the caller to remove if its transaction fails)."""
    placed: list[str] = []
    keys: dict[str, str] = {}
    for name, path in files.items():
        key = view_key(digest(path))
        if not storage.exists(key):
            placed.append(key)
        storage.move_into(key, path)
        keys[name] = key
    asset.view_paths = keys or None
    return placed


def tiers_of(db: Session, asset_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[MeshTier]]:
    """Each asset's tiers, densest first."""
    found: dict[uuid.UUID, list[MeshTier]] = {i: [] for i in asset_ids}
    if not asset_ids:
        return found
    rows = db.scalars(
        select(MeshTier)
        .where(MeshTier.asset_id.in_(list(asset_ids)))
        .order_by(MeshTier.asset_id, MeshTier.level)
    )
    for row in rows:
        found[row.asset_id].append(row)
    return found


def is_free(asset: Asset) -> bool:
    return asset.base_price == 0


def owned_ids(db: Session, user: User | None, assets: Sequence[Asset]) -> set[uuid.UUID]:
    """The assets among `assets` whose every tier and original `user` may have."""
    full = {a.id for a in assets if is_free(a)}
    if user is None:
        return full
    if is_admin(user):
        return {a.id for a in assets}
    full |= {a.id for a in assets if a.artist_id == user.id}
    rest = [a.id for a in assets if a.id not in full]
    if rest:
        bought = db.scalars(
            select(OrderItem.asset_id)
            .join(Order, Order.id == OrderItem.order_id)
            .where(
                Order.user_id == user.id,
                Order.status.in_(sorted(PAID_ORDER_STATUSES)),
                OrderItem.asset_id.in_(rest),
            )
        )
        full |= set(bought)
    return full


def full_access(db: Session, user: User | None, asset: Asset) -> bool:
    return asset.id in owned_ids(db, user, [asset])


def tier_for(db: Session, user: User | None, asset: Asset, sha256: str) -> MeshTier:
    """The asset's tier of that hash if `user` may have it: 404 for a hash the asset does not
    have, 403 for a full tier of a model the caller does not own."""
    tier = db.scalar(
        select(MeshTier).where(MeshTier.asset_id == asset.id, MeshTier.sha256 == sha256).limit(1)
    )
    if tier is None:
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This asset has no such mesh tier.")
    if not tier.preview and not full_access(db, user, asset):
        raise not_owned()
    return tier


def best_display(db: Session, user: User | None, asset: Asset, top: int) -> MeshTier | None:
    """What the old single display mesh now is: for those with the full model the densest tier
    within `top` triangles, for everyone else the densest preview; None when there is none."""
    tiers = tiers_of(db, [asset.id])[asset.id]
    allowed = tiers if full_access(db, user, asset) else [t for t in tiers if t.preview]
    within = [t for t in allowed if t.triangles <= top]
    return within[0] if within else None


def not_owned() -> ApiError:
    return ApiError(
        403,
        ErrorCode.NOT_OWNED,
        "Only the artist and buyers of this model may download it in full; a preview is free.",
    )
