"""Legacy `user_tables` and `example_tables` -> tables (keeping their ids).

Users' tables keep their owner, visibility and counters; artists' showcase tables become public
tables of the artist. Plan limits are not applied to imported tables (nobody loses a table);
`over_limit` reports who holds more than their plan allows.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import GameTable, LegacyImport, TableAsset, User
from server.legacy import existing, layouts
from server.legacy.context import Context
from server.legacy.ledger import Ledger
from server.legacy.source import Row, fingerprint
from server.services import owners, sync_versions
from server.services.tables import new_share_code
from terrain_protocol.plans import TablePlan, UserPlan
from terrain_protocol.tables import MAX_TABLE_MM, MIN_TABLE_MM

_SHARE_CODE = re.compile(r"^[0-9A-F]{16}$")
_DEFAULT_SIZE = {"width": 1200, "depth": 900}


def _size(ctx: Context, kind: str, row: Row, axis: str) -> int:
    value = row[axis]
    if isinstance(value, int) and MIN_TABLE_MM <= value <= MAX_TABLE_MM:
        return value
    ctx.report.note(
        kind, row["id"], "invalid_size", f"{axis} {value!r} mm replaced by {_DEFAULT_SIZE[axis]}"
    )
    return _DEFAULT_SIZE[axis]


def plan_share_codes(ctx: Context) -> None:
    """Which legacy table keeps each share code: the oldest of those that used it."""
    rows = ctx.legacy.all(
        "SELECT id, share_code FROM user_tables WHERE share_code IS NOT NULL "
        "ORDER BY created_at, id"
    )
    for row in rows:
        code = row["share_code"].strip().upper()
        if _SHARE_CODE.match(code):
            ctx.share_codes.setdefault(code, str(row["id"]))


def _codes_in_use(ctx: Context, rows: list[Row]) -> dict[str, uuid.UUID]:
    """Which of the batch's legacy share codes tables here already use (one query)."""
    codes = {(r.get("share_code") or "").strip().upper() for r in rows} - {""}
    if not codes:
        return {}
    found = ctx.db.execute(
        select(GameTable.share_code, GameTable.id).where(GameTable.share_code.in_(codes))
    )
    return {code: table_id for code, table_id in found}


def _share_code(
    ctx: Context, kind: str, row: Row, current: str | None, in_use: dict[str, uuid.UUID]
) -> str:
    legacy = (row.get("share_code") or "").strip().upper()
    keeper = ctx.share_codes.get(legacy)
    if keeper == str(row["id"]):
        holder = in_use.get(legacy)
        if holder is None or holder == row["id"]:
            return legacy
        reason = f"share code {legacy} is already used by table {holder}"
    elif keeper is not None:
        reason = f"share code {legacy} is also used by the older table {keeper}"
    else:
        reason = f"share code {row.get('share_code')!r} is not 16 hexadecimal characters"
    code = current or new_share_code()
    if row.get("share_code"):
        ctx.report.note(kind, row["id"], "share_code_replaced", f"{reason}; now {code}")
    return code


@dataclass
class _Batch:
    """What one batch of legacy tables needs from this database, loaded up front."""

    kind: str
    owner_column: str
    ledger: Ledger
    known: set[uuid.UUID]
    owners: dict[uuid.UUID, User]
    tables: dict[uuid.UUID, GameTable]
    libraries: dict[uuid.UUID, set[uuid.UUID]]
    codes_in_use: dict[str, uuid.UUID]


def import_batch(ctx: Context, rows: list[Row], kind: str) -> None:
    """`kind` is 'user_table' or 'example_table'."""
    owner_column = "user_id" if kind == "user_table" else "artist_id"
    tables_by_id = existing.by_id(ctx.db, GameTable, [r["id"] for r in rows])
    batch = _Batch(
        kind=kind,
        owner_column=owner_column,
        ledger=Ledger(ctx.db, ctx.report, kind, [str(r["id"]) for r in rows]),
        known=layouts.known_assets(ctx.db, [r["layout"] for r in rows]),
        owners=existing.by_id(ctx.db, User, [r[owner_column] for r in rows]),
        tables=tables_by_id,
        libraries=_libraries(ctx.db, list(tables_by_id)),
        codes_in_use=_codes_in_use(ctx, rows),
    )
    stamps = [_stamp(batch, row) for row in rows]
    changing = {
        row[owner_column]
        for row, stamp in zip(rows, stamps, strict=True)
        if row[owner_column] in batch.owners and not batch.ledger.same(str(row["id"]), stamp)
    }
    sync_versions.reserve(ctx.db, {sync_versions.owner_key_for(o, None) for o in changing})
    with ctx.db.no_autoflush:  # one flush per batch: inserts go out together
        for row, stamp in zip(rows, stamps, strict=True):
            _import_row(ctx, batch, row, stamp)
    batch.ledger.flush()
    ctx.db.flush()


def _stamp(batch: _Batch, row: Row) -> str:
    present = layouts.named_models(row["layout"]) & batch.known
    return fingerprint(row, sorted(map(str, present)))


def _import_row(ctx: Context, batch: _Batch, row: Row, stamp: str) -> None:
    legacy_id = str(row["id"])
    if batch.ledger.unchanged(legacy_id, stamp):
        return
    owner = batch.owners.get(row[batch.owner_column])
    if owner is None:
        batch.ledger.record(legacy_id, stamp, None, "the table has no known owner")
        return
    layout = layouts.clean(row["layout"], batch.known, ctx.report, batch.kind, legacy_id)
    table = batch.tables.get(row["id"])
    fields = _fields(ctx, batch.kind, row, owner, len(layout.models))
    current_code = table.share_code if table else None
    fields["share_code"] = _share_code(ctx, batch.kind, row, current_code, batch.codes_in_use)
    batch.codes_in_use[fields["share_code"]] = row["id"]
    fields["layout"] = layout.to_json()
    if table is None:
        table = GameTable(id=row["id"], **fields)
        ctx.db.add(table)
    else:
        for name, value in fields.items():
            setattr(table, name, value)
    sync_versions.touch_pieces(ctx.db, table, [p.id for p in layout.models])
    placed = {p.model_id for p in layout.models}
    _fill_library(ctx.db, table, placed - batch.libraries.get(table.id, set()))
    batch.ledger.record(legacy_id, stamp, row["id"])


def _fields(ctx: Context, kind: str, row: Row, owner: User, pieces: int) -> dict[str, Any]:
    name = (row["name"] or "").strip()[:200] or "Untitled table"
    return {
        "user_id": owner.id,
        "name": name,
        "description": row["description"] or "",
        "width": _size(ctx, kind, row, "width"),
        "depth": _size(ctx, kind, row, "depth"),
        "is_public": bool(row.get("is_public", True)),
        "view_count": row.get("view_count") or 0,
        "clone_count": row.get("clone_count") or 0,
        "status": "active",
        "plan": (TablePlan.PRO if owner.plan == UserPlan.PRO else TablePlan.USER_FREE).value,
        "max_assets": max(ctx.settings.max_assets_per_table, pieces),
        "created_at": row["created_at"] or ctx.now,
        "updated_at": row.get("updated_at") or row["created_at"] or ctx.now,
    }


def _libraries(db: Session, table_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """What the libraries of tables imported before already hold (one query)."""
    held: dict[uuid.UUID, set[uuid.UUID]] = {}
    if table_ids:
        rows = db.execute(
            select(TableAsset.table_id, TableAsset.asset_id).where(
                TableAsset.table_id.in_(table_ids)
            )
        )
        for table_id, asset_id in rows:
            held.setdefault(table_id, set()).add(asset_id)
    return held


def _fill_library(db: Session, table: GameTable, asset_ids: set[Any]) -> None:
    """The table's own library holds what is placed on it, as in the desktop's drawer."""
    for asset_id in asset_ids:
        entry = TableAsset(table_id=table.id, asset_id=asset_id)
        sync_versions.touch_library_entry(db, table, entry)
        db.add(entry)


def report_over_limit(ctx: Context) -> None:
    """Imported accounts holding more active tables than their plan allows (kept, reported)."""
    imported = select(LegacyImport.target_id).where(LegacyImport.kind == "user")
    counts = ctx.db.execute(
        select(User.id, User.plan, func.count(GameTable.id))
        .join(GameTable, GameTable.user_id == User.id)
        .where(User.id.in_(imported), GameTable.status == "active")
        .group_by(User.id, User.plan)
    )
    for user_id, plan, count in counts:
        table_plan = TablePlan.PRO if plan == UserPlan.PRO else TablePlan.USER_FREE
        limit = owners.table_limit(table_plan, ctx.settings)
        if count > limit:
            ctx.report.note(
                "user",
                user_id,
                "over_plan_limit",
                f"{count} active tables on the {plan} plan (limit {limit}); all kept, "
                "creating more is refused until some are archived",
            )
