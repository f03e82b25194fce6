"""Turning an uploaded original into a ready asset, out of the API process.

`enqueue_processing` is the one way in (uploads, and later the legacy import): it queues a
`process_asset` job in the caller's transaction. The worker runs `process` for that job: the
mesh pipeline runs in a sandboxed child (server/jobs/sandbox.py), its files are moved into
storage, and the asset becomes `ready` — or `failed` with the child's reason, leaving no file
of its own behind.
"""

import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset
from server.jobs import queue
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.jobs.runner import RetryLater
from server.jobs.sandbox import Outcome, SandboxLimits, run_child, run_in_this_process
from server.services import mesh_tiers
from server.settings import Settings
from server.storage import Storage

log = logging.getLogger(__name__)

KIND = "process_asset"
#: An upload commits its row first and moves the original into place just after; a job that
#: finds no original waits this long for it before calling the upload incomplete.
ORIGINAL_GRACE = timedelta(minutes=2)


def enqueue_processing(db: Session, asset_id: uuid.UUID, units: str | None) -> None:
    """Queue processing of an asset whose original is (or is about to be) at its `file_ref`.

    Runs in the caller's transaction; the asset should be in `processing`.
    """
    queue.enqueue(db, KIND, {"asset_id": str(asset_id), "units": units}, f"{KIND}:{asset_id}")


def limits_from(settings: Settings) -> SandboxLimits:
    return SandboxLimits(
        memory_bytes=settings.processing_memory_mb * 2**20,
        cpu_seconds=settings.processing_cpu_seconds,
        wall_seconds=settings.processing_wall_seconds,
        max_triangles=settings.max_upload_triangles,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        display_max_triangles=settings.display_max_triangles,
    )


def lease(settings: Settings) -> timedelta:
    """After this long a `running` job's worker is presumed dead (the child is long killed)."""
    return timedelta(seconds=settings.processing_wall_seconds + 120)


def process(job: Claimed, ctx: WorkerContext) -> None:
    """The `process_asset` job: the pipeline in a sandboxed child."""
    units = job.payload.get("units")
    _process(uuid.UUID(str(job.payload["asset_id"])), str(units) if units else None, ctx, run_child)


def process_trusted(asset_id: uuid.UUID, units: str | None, ctx: WorkerContext) -> None:
    """Process a file we ship ourselves (the sample library) right here, without a child."""
    _process(asset_id, units, ctx, run_in_this_process)


Runner = Callable[[Path, str, str | None, Path, SandboxLimits], Outcome]


def _process(asset_id: uuid.UUID, units: str | None, ctx: WorkerContext, run: Runner) -> None:
    with ctx.sessionmaker() as db:
        asset = db.get(Asset, asset_id)
        if asset is None or asset.processing_state != "processing" or not asset.file_ref:
            return  # removed meanwhile, or already done by an earlier run of this job
        original = ctx.storage.local_path(asset.file_ref)
        if not original.is_file():
            if datetime.now(UTC) - asset.created_at < ORIGINAL_GRACE:
                raise RetryLater(1.0, "the original is not in place yet", count=False)
            _fail(db, ctx.storage, asset, "The upload did not complete; please upload it again.")
            return
        filename = asset.original_filename or Path(asset.file_ref).name
        content_hash = asset.content_hash or uuid.uuid4().hex
    scratch = Path(tempfile.mkdtemp(prefix="process-", dir=ctx.storage.temp_dir()))
    try:
        outcome = run(original, filename, units, scratch, limits_from(ctx.settings))
        if outcome.diagnostics:
            log.warning("processing asset %s: %s", asset_id, outcome.diagnostics)
        with ctx.sessionmaker() as db:
            asset = db.get(Asset, asset_id, with_for_update=True)
            if asset is None or asset.processing_state != "processing":
                return
            if outcome.ok:
                _ready(db, ctx, asset, outcome, scratch, content_hash)
            else:
                _fail(db, ctx.storage, asset, outcome.message)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _ready(
    db: Session, ctx: WorkerContext, asset: Asset, outcome: Outcome, scratch: Path, digest: str
) -> None:
    result = outcome.result
    files: dict[str, str] = result["files"]
    units = str(result["units"])
    thumbnail = f"thumbnails/{digest[:2]}/{digest}-{units}.png"
    placed = store_ladder(db, ctx, asset, result, scratch)
    if not ctx.storage.exists(thumbnail):
        ctx.storage.move_into(thumbnail, scratch / files["thumbnail"])
        placed.append(thumbnail)
    x, y, z = result["dimensions_mm"]
    asset.dimensions_mm = {"x": x, "y": y, "z": z}
    asset.poly_count = int(result["triangles"])
    asset.source_units = units
    asset.thumbnail_path = thumbnail
    asset.processing_state = "ready"
    asset.processing_error = None
    commit_or_remove(db, ctx.storage, placed)


def store_ladder(
    db: Session, ctx: WorkerContext, asset: Asset, result: dict[str, Any], scratch: Path
) -> list[str]:
    """Store every tier the pipeline wrote (`mesh_tiers.store`) and the catalogue page's
    views; the asset's full and display paths become the keys of its whole mesh and its
    densest display tier."""
    written = result.get("tiers") or []
    built = [
        mesh_tiers.Built(scratch / t["file"], int(t["triangles"]), bool(t["preview"]))
        for t in written
    ]
    display_file = result["files"]["display"]
    display_level = next(i for i, t in enumerate(written) if t["file"] == display_file)
    placed = mesh_tiers.store(db, ctx.storage, asset, built)
    views = {
        role.removeprefix("view-"): scratch / name
        for role, name in result["files"].items()
        if role.startswith("view-")
    }
    placed += mesh_tiers.store_views(ctx.storage, asset, views)
    keys = mesh_tiers.tiers_of(db, [asset.id])[asset.id]
    asset.glb_file_path = keys[0].storage_key
    asset.display_file_path = keys[display_level].storage_key
    return placed


def commit_or_remove(db: Session, storage: Storage, placed: list[str]) -> None:
    try:
        db.commit()
    except Exception:
        for key in placed:  # nobody can refer to files this job placed and did not record
            storage.delete(key)
        raise


def _fail(db: Session, storage: Storage, asset: Asset, reason: str) -> None:
    """Mark the asset failed and drop its original unless another asset still needs it."""
    original = asset.file_ref
    others = db.scalar(
        select(Asset.id)
        .where(
            Asset.file_ref == original,
            Asset.id != asset.id,
            Asset.processing_state != "failed",
        )
        .limit(1)
    )
    asset.processing_state = "failed"
    asset.processing_error = reason[:1000]
    if others is None:
        asset.file_ref = None
    db.commit()
    if original and others is None:
        storage.delete(original)


def give_up(job: Claimed, ctx: WorkerContext) -> None:
    """The job could not be run to the end (the worker kept dying): the asset fails."""
    with ctx.sessionmaker() as db:
        asset = db.get(Asset, uuid.UUID(str(job.payload["asset_id"])), with_for_update=True)
        if asset is not None and asset.processing_state == "processing":
            _fail(db, ctx.storage, asset, "Processing was interrupted; please upload it again.")
