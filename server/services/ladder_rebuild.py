"""Ladders for assets processed before the server kept them (`terrain-server rebuild-ladders`).

Such an asset has a whole mesh and one display mesh but no stored tiers, so nobody but its
owners may see it in 3D (`mesh_tiers`: a display mesh that may be the full model is never
served to others). `queue_missing` queues a `build_ladder` job for each; the worker runs the
same sandboxed pipeline on the original, in the units recorded for it, and stores the ladder —
dimensions, thumbnail and state stay as they are. With `every`, assets that have a ladder get
it built again too, once per `terrain_meshes.budgets.LADDER_VERSION`: for when the pipeline's
ladders change (version 2: tiers that keep the shape, a small model's coarse preview), so
stored previews follow the rule the server now applies.
"""

import logging
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import exists, func, select, true
from sqlalchemy.orm import Session

from server.db.models import Asset, MeshTier
from server.jobs import queue
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.jobs.sandbox import run_child
from server.services import asset_processing, mesh_tiers
from terrain_meshes.budgets import LADDER_VERSION

log = logging.getLogger(__name__)

KIND = "build_ladder"


def missing(db: Session, every: bool = False) -> list[uuid.UUID]:
    """Ready assets with an original and no stored tier (with `every`, whether or not they
    have one), oldest first."""
    has_tiers = exists().where(MeshTier.asset_id == Asset.id)
    query = select(Asset.id).where(Asset.processing_state == "ready", Asset.file_ref.is_not(None))
    if not every:
        query = query.where(~has_tiers)
    return list(db.scalars(query.order_by(Asset.created_at, Asset.id)))


def queue_missing(db: Session, every: bool = False) -> int:
    """Queue a ladder build for every asset that lacks one (with `every`, for every ready
    asset, once per `LADDER_VERSION`); the caller commits. Safe to repeat: an asset
    already queued (or, with `every`, already rebuilt for this version) is not queued again.
    Returns how many builds this call queued."""
    queued = 0
    for asset_id in missing(db, every):
        key = f"{KIND}:{asset_id}" + (f":v{LADDER_VERSION}" if every else "")
        queued += queue.enqueue(db, KIND, {"asset_id": str(asset_id)}, key)
    return queued


def build(job: Claimed, ctx: WorkerContext) -> None:
    """The `build_ladder` job: the pipeline on the original in a sandboxed child."""
    asset_id = uuid.UUID(str(job.payload["asset_id"]))
    with ctx.sessionmaker() as db:
        asset = db.get(Asset, asset_id)
        if asset is None or asset.processing_state != "ready" or not asset.file_ref:
            return
        original = ctx.storage.local_path(asset.file_ref)
        filename = asset.original_filename or Path(asset.file_ref).name
        units = asset.source_units
    scratch = Path(tempfile.mkdtemp(prefix="ladder-", dir=ctx.storage.temp_dir()))
    try:
        outcome = run_child(
            original, filename, units, scratch, asset_processing.limits_from(ctx.settings)
        )
        if not outcome.ok:
            log.warning("no ladder for %s: %s %s", asset_id, outcome.message, outcome.diagnostics)
            return
        with ctx.sessionmaker() as db:
            asset = db.get(Asset, asset_id, with_for_update=True)
            if asset is None or asset.processing_state != "ready":
                return
            before = _mesh_keys(db, asset)
            placed = asset_processing.store_ladder(db, ctx, asset, outcome.result, scratch)
            asset_processing.commit_or_remove(db, ctx.storage, placed)
        remove_unused(ctx, before)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _mesh_keys(db: Session, asset: Asset) -> set[str]:
    """The files the asset's ladder names now: its tiers, its whole and display mesh (an asset
    processed before ladders has only those two) and its catalogue page's views."""
    keys = {tier.storage_key for tier in mesh_tiers.tiers_of(db, [asset.id])[asset.id]}
    keys |= {str(k) for k in (asset.view_paths or {}).values()}
    return keys | {k for k in (asset.glb_file_path, asset.display_file_path) if k}


def remove_unused(ctx: WorkerContext, keys: set[str]) -> None:
    """Delete those of `keys` that nothing names any more: a rebuilt ladder's old tiers would
    otherwise stay in storage for good. Files are shared by content, so a key another asset
    names (a tier, a whole or display mesh, an original, a thumbnail, a view) stays."""
    if not keys:
        return
    with ctx.sessionmaker() as db:
        mesh_tiers.lock_keys(db, sorted(keys))
        named = set(db.scalars(select(MeshTier.storage_key).where(MeshTier.storage_key.in_(keys))))
        columns = (
            Asset.glb_file_path,
            Asset.display_file_path,
            Asset.file_ref,
            Asset.thumbnail_path,
        )
        for column in columns:
            named |= set(db.scalars(select(column).where(column.in_(keys))))
        views = func.jsonb_each_text(Asset.view_paths).table_valued("key", "value")
        named |= set(
            db.scalars(
                select(views.c.value)
                .select_from(Asset)
                .join(views, true())
                .where(views.c.value.in_(keys))
            )
        )
        for key in sorted(keys - named):
            ctx.storage.delete(key)
            log.info("removed %s: no ladder names it any more", key)
        db.commit()
