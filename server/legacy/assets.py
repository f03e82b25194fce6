"""Legacy `models` -> assets (keeping their ids), and `favorites` -> favourites.

Each model's file goes through the upload pipeline (see `processing`): the worker measures the
mesh, so dimensions are never copied from the legacy columns. A model whose file is missing or
broken is still imported, as a failed draft without files, so orders and tables that name it
keep pointing at it; the report says why.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from server.db.models import Asset, Favorite, LegacyImport, User
from server.db.models.catalogue import ASSET_STATUSES, ASSET_VISIBILITIES
from server.legacy import existing
from server.legacy.context import Context
from server.legacy.ledger import Ledger
from server.legacy.processing import (
    PROCESSED_FIELDS,
    ProcessingFailed,
    measure_only,
    store_and_queue,
)
from server.legacy.source import Row, fingerprint
from server.services import catalogue


def _file_fields(ctx: Context, row: Row, asset: Asset | None) -> dict[str, Any]:
    try:
        path = ctx.uploads.resolve(row["stl_file_path"])
    except ValueError as exc:
        raise ProcessingFailed(str(exc)) from None
    if ctx.dry_run:
        return measure_only(path, ctx.settings)
    usable = asset is not None and asset.processing_state != "failed"
    current = asset.content_hash if asset is not None and usable else None
    return store_and_queue(ctx.db, ctx.storage, ctx.settings, row["id"], path, current)


def _fields(ctx: Context, row: Row) -> dict[str, Any]:
    status = row["status"] if row["status"] in ASSET_STATUSES else "draft"
    visibility = row["visibility"] if row["visibility"] in ASSET_VISIBILITIES else "private"
    price = Decimal(row["base_price"] or 0)
    if price < 0:
        ctx.report.note("model", row["id"], "negative_price", f"price {price} imported as 0.00")
        price = Decimal("0")
    return {
        "artist_id": row["artist_id"],
        "name": (row["name"] or "Untitled model")[:200],
        "description": row["description"],
        "category": (row["category"] or None) and row["category"][:50],
        "tags": list(row["tags"] or []),
        "base_price": price,
        "status": status,
        "visibility": visibility,
        "view_count": row["view_count"] or 0,
        "download_count": row["download_count"] or 0,
        "created_at": row["created_at"] or ctx.now,
        "updated_at": row["updated_at"] or ctx.now,
        "published_at": row["published_at"],
    }


def import_batch(ctx: Context, rows: list[Row]) -> None:
    ledger = Ledger(ctx.db, ctx.report, "model", [str(r["id"]) for r in rows])
    assets = existing.by_id(ctx.db, Asset, [r["id"] for r in rows])
    artists = existing.by_id(ctx.db, User, [r["artist_id"] for r in rows])
    for row in rows:
        legacy_id = str(row["id"])
        stamp = fingerprint(row, ctx.uploads.stamp(row["stl_file_path"]))
        if ledger.unchanged(legacy_id, stamp):
            continue
        fields = _fields(ctx, row)
        asset = assets.get(row["id"])
        failure = None
        try:
            fields.update(_file_fields(ctx, row, asset))
        except ProcessingFailed as exc:
            failure = str(exc)
            fields.update(file_ref=None, processing_state="failed", processing_error=failure)
            fields.update(dict.fromkeys(PROCESSED_FIELDS))
            if fields["status"] == "published":
                fields["status"] = "draft"
            ctx.report.note("model", legacy_id, "file_failed", f"imported as a draft: {failure}")
        if asset is None:
            asset = Asset(id=row["id"], **fields)
            ctx.db.add(asset)
        else:
            for name, value in fields.items():
                setattr(asset, name, value)
        catalogue.refresh_search_document(asset, artists[row["artist_id"]])
        ledger.record(legacy_id, stamp, row["id"], failure)
    ledger.flush()
    ctx.db.flush()


def report_processing(ctx: Context) -> None:
    """What the worker has made of imported files so far (it runs after, or beside, the import)."""
    imported = select(LegacyImport.target_id).where(
        LegacyImport.kind == "model", LegacyImport.outcome == "imported"
    )
    rows = ctx.db.execute(
        select(Asset.id, Asset.processing_state, Asset.processing_error).where(
            Asset.id.in_(imported), Asset.processing_state != "ready"
        )
    )
    for asset_id, state, error in rows:
        if state == "processing":
            ctx.report.pending_processing += 1
        else:
            ctx.report.note("model", asset_id, "processing_failed", error or "processing failed")


def import_favorites(ctx: Context, rows: list[Row]) -> None:
    keys = [f"{r['user_id']}:{r['model_id']}" for r in rows]
    ledger = Ledger(ctx.db, ctx.report, "favorite", keys)
    users = existing.by_id(ctx.db, User, [r["user_id"] for r in rows])
    assets = existing.by_id(ctx.db, Asset, [r["model_id"] for r in rows])
    new = []
    for key, row in zip(keys, rows, strict=True):
        stamp = fingerprint(row)
        if ledger.unchanged(key, stamp):
            continue
        if row["user_id"] not in users:
            ledger.record(key, stamp, None, "the favourite names no known user")
        elif row["model_id"] not in assets:
            ledger.record(key, stamp, None, "the favourite names no known model")
        else:
            created = row["created_at"] or ctx.now
            new.append(
                {"user_id": row["user_id"], "asset_id": row["model_id"], "created_at": created}
            )
            ledger.record(key, stamp, None)
    if new:
        ctx.db.execute(insert(Favorite).values(new).on_conflict_do_nothing())
    ledger.flush()
