"""Legacy `models` -> assets (keeping their ids), and `favorites` -> favourites.

Each model's file goes through the upload pipeline (see `processing`): dimensions are measured
from the mesh, never copied from the legacy columns. A model whose file is missing or broken is
still imported, as a draft without files, so orders and tables that name it keep pointing at it;
the report says why.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from server.db.models import Asset, Favorite, User
from server.db.models.catalogue import ASSET_STATUSES, ASSET_VISIBILITIES
from server.legacy import existing
from server.legacy.context import Context
from server.legacy.ledger import Ledger
from server.legacy.processing import (
    FILE_FIELDS,
    Processed,
    ProcessingFailed,
    measure_only,
    process_model_file,
)
from server.legacy.source import Row, fingerprint
from server.services import catalogue

#: Measured and entered sizes further apart than this are worth a look (units mix-ups).
_SIZE_TOLERANCE = Decimal("0.10")


def _process(ctx: Context, row: Row) -> Processed:
    try:
        path = ctx.uploads.resolve(row["stl_file_path"])
    except ValueError as exc:
        raise ProcessingFailed(str(exc)) from None
    if ctx.dry_run:
        return measure_only(path, ctx.settings)
    return process_model_file(
        ctx.sessions, ctx.storage, ctx.settings, row["artist_id"], row["id"], path, ctx.now
    )


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


def _compare_sizes(ctx: Context, row: Row, measured: dict[str, float]) -> None:
    entered = [row["width"], row["depth"], row["height"]]
    if any(v is None or v <= 0 for v in entered):
        return
    actual = [Decimal(str(measured[axis])) for axis in ("x", "y", "z")]
    if any(abs(a - e) > e * _SIZE_TOLERANCE for a, e in zip(actual, entered, strict=True)):
        ctx.report.note(
            "model",
            row["id"],
            "dimensions_differ",
            f"measured {actual[0]} x {actual[1]} x {actual[2]} mm; the legacy row said "
            f"{entered[0]} x {entered[1]} x {entered[2]} (the measured size is kept)",
        )


def import_batch(ctx: Context, rows: list[Row]) -> None:
    ledger = Ledger(ctx.db, ctx.report, "model", [str(r["id"]) for r in rows])
    for row in rows:
        legacy_id = str(row["id"])
        stamp = fingerprint(row, ctx.uploads.stamp(row["stl_file_path"]))
        if ledger.unchanged(legacy_id, stamp):
            continue
        fields = _fields(ctx, row)
        failure = None
        try:
            processed = _process(ctx, row)
        except ProcessingFailed as exc:
            failure = str(exc)
            processed = Processed(dict.fromkeys(FILE_FIELDS))
            if fields["status"] == "published":
                fields["status"] = "draft"
            ctx.report.note("model", legacy_id, "file_failed", f"imported as a draft: {failure}")
        else:
            _compare_sizes(ctx, row, processed.fields["dimensions_mm"])
        _save(ctx, row, {**fields, **processed.fields}, processed)
        ledger.record(legacy_id, stamp, row["id"], failure)
    ledger.flush()
    ctx.db.flush()


def _save(ctx: Context, row: Row, fields: dict[str, Any], processed: Processed) -> None:
    asset = ctx.db.get(Asset, row["id"])
    if asset is None:
        asset = Asset(id=row["id"], **fields)
        ctx.db.add(asset)
    else:
        for name, value in fields.items():
            setattr(asset, name, value)
    artist = ctx.db.get(User, row["artist_id"])
    assert artist is not None
    catalogue.refresh_search_document(asset, artist)
    if processed.scratch_asset_id is not None:
        ctx.db.execute(delete(Asset).where(Asset.id == processed.scratch_asset_id))


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
