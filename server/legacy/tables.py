"""Legacy `user_tables` and `example_tables` -> tables (keeping their ids).

Users' tables keep their owner, visibility and counters; artists' showcase tables become public
tables of the artist. Plan limits are not applied to imported tables (nobody loses a table);
`over_limit` reports who holds more than their plan allows.
"""

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import GameTable, LegacyImport, TableAsset, User
from server.legacy import layouts
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


def _share_code(ctx: Context, kind: str, row: Row, current: str | None) -> str:
    legacy = (row.get("share_code") or "").strip().upper()
    keeper = ctx.share_codes.get(legacy)
    if keeper == str(row["id"]):
        holder = ctx.db.scalar(select(GameTable.id).where(GameTable.share_code == legacy))
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


def import_batch(ctx: Context, rows: list[Row], kind: str) -> None:
    """`kind` is 'user_table' or 'example_table'."""
    owner_column = "user_id" if kind == "user_table" else "artist_id"
    ledger = Ledger(ctx.db, ctx.report, kind, [str(r["id"]) for r in rows])
    known = layouts.known_assets(ctx.db, [r["layout"] for r in rows])
    for row in rows:
        legacy_id = str(row["id"])
        present = layouts.named_models(row["layout"]) & known
        stamp = fingerprint(row, sorted(map(str, present)))
        if ledger.unchanged(legacy_id, stamp):
            continue
        owner = ctx.db.get(User, row[owner_column]) if row[owner_column] else None
        if owner is None:
            ledger.record(legacy_id, stamp, None, "the table has no known owner")
            continue
        layout = layouts.clean(row["layout"], known, ctx.report, kind, legacy_id)
        table = ctx.db.get(GameTable, row["id"])
        fields = _fields(ctx, kind, row, owner, len(layout.models))
        fields["share_code"] = _share_code(ctx, kind, row, table.share_code if table else None)
        fields["layout"] = layout.to_json()
        if table is None:
            table = GameTable(id=row["id"], **fields)
            ctx.db.add(table)
        else:
            for name, value in fields.items():
                setattr(table, name, value)
        sync_versions.touch_placements(ctx.db, table, [p.id for p in layout.models])
        ctx.db.flush()
        _fill_library(ctx.db, table, {p.model_id for p in layout.models})
        ledger.record(legacy_id, stamp, row["id"])
    ctx.db.flush()


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


def _fill_library(db: Session, table: GameTable, asset_ids: set[Any]) -> None:
    """The table's own library holds what is placed on it, as in the desktop's drawer."""
    for asset_id in asset_ids:
        if db.get(TableAsset, (table.id, asset_id)) is None:
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
