"""Game tables: creation under plan limits, visibility, edits, archiving, sharing, cloning.

The REST routes and sync apply these same functions, so the rules live only here.
"""

import copy as copy_module
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from server.db.models import (
    AnonymousSession,
    Asset,
    AssetSet,
    GameTable,
    TableAsset,
    TableSet,
    User,
)
from server.errors import ApiError
from server.services import owners, piece_assets, sync_versions, table_library, table_limits
from server.services.owners import Owner
from server.services.view_counts import ViewCounter
from server.settings import Settings
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.tables import SHARE_CODE_LENGTH, Layout, TableCreate, TableUpdate


def not_found() -> ApiError:
    # Private tables of others answer exactly like missing ones: existence is not disclosed.
    return ApiError(404, ErrorCode.TABLE_NOT_FOUND, "Table not found.")


def new_share_code() -> str:
    return secrets.token_hex(SHARE_CODE_LENGTH // 2).upper()


def _check_layout_size(layout: Layout, max_assets: int) -> None:
    if len(layout.models) > max_assets:
        raise ApiError(
            422,
            ErrorCode.VALIDATION_ERROR,
            f"Invalid request: body.layout.models: at most {max_assets} placements per table.",
            [ErrorDetail(path="body.layout.models", message=f"at most {max_assets} placements")],
        )


def create(
    db: Session,
    owner: Owner,
    request: TableCreate,
    settings: Settings,
    now: datetime,
    table_id: uuid.UUID | None = None,
) -> GameTable:
    """A new table; `table_id` is given when a device made the table offline."""
    _check_layout_size(request.layout, settings.max_assets_per_table)
    piece_assets.check_new(db, owner, request.layout.models)
    owners.lock(db, owner)
    owners.ensure_table_slot(db, owner, settings)
    table = GameTable(
        id=table_id or uuid.uuid4(),
        user_id=owner.user_id,
        session_id=owner.session_id,
        name=request.name,
        description=request.description,
        width=request.width,
        depth=request.depth,
        layout=request.layout.to_json(),
        is_public=request.is_public,
        share_code=new_share_code(),
        plan=owner.plan.value,
        max_assets=settings.max_assets_per_table,
        created_at=now,
        updated_at=now,
    )
    sync_versions.touch_pieces(db, table, [p.id for p in request.layout.models])
    db.add(table)
    db.flush()
    return table


def _owned_query(by_user: bool) -> Select[tuple[GameTable]]:
    """As `Owner.tables_filter`, with the owner's id a parameter."""
    owner_id: BindParameter[uuid.UUID] = bindparam("owner_id")
    mine = (
        GameTable.user_id == owner_id
        if by_user
        else (GameTable.session_id == owner_id) & GameTable.user_id.is_(None)
    )
    return select(GameTable).where(GameTable.id == bindparam("table_id"), mine)


#: `owned`'s queries by (owned by an account, locked), built once: every edit asks one, and
#: building and keying it for SQLAlchemy's cache took longer than running it.
_OWNED = {
    (by_user, lock): _owned_query(by_user).with_for_update() if lock else _owned_query(by_user)
    for by_user in (True, False)
    for lock in (True, False)
}


def owned(
    db: Session, owner: Owner, table_id: uuid.UUID, *, lock: bool = False, edit: bool = True
) -> GameTable:
    """A table the caller owns, or 404; with `lock` and `edit`, 402 when it is read-only
    (past the plan's limit, see services/table_limits.py).

    With `lock` (to change it), the table's row is locked until commit; the owner's sync
    version is taken after it, at commit (see `sync_versions`), so writes of one owner to
    different tables do not wait for each other.
    """
    by_user = owner.user_id is not None
    query = _OWNED[by_user, lock]
    params = {"table_id": table_id, "owner_id": owner.user_id if by_user else owner.session_id}
    table = db.scalar(query, params)
    if table is None:
        raise not_found()
    if lock and edit and table.read_only and table.status == "active":
        raise table_limits.read_only_error()
    return table


def visible(db: Session, owner: Owner | None, table_id: uuid.UUID, views: ViewCounter) -> GameTable:
    """A table the caller may read: their own, or someone's public active table.

    Reading someone else's table counts as a view (stored shortly after, without a lock).
    """
    table = db.get(GameTable, table_id)
    if table is None:
        raise not_found()
    if owner is not None and owner.owns(table):
        return table
    if not (table.is_public and table.status == "active"):
        raise not_found()
    views.record(GameTable, table.id)
    return table


def by_share_code(db: Session, owner: Owner | None, code: str, views: ViewCounter) -> GameTable:
    normalised = code.strip().upper()
    if len(normalised) != SHARE_CODE_LENGTH:
        raise not_found()
    table = db.scalar(
        select(GameTable).where(GameTable.share_code == normalised, GameTable.status == "active")
    )
    if table is None:
        raise not_found()
    if owner is None or not owner.owns(table):
        views.record(GameTable, table.id)
    return table


def _page(
    db: Session, conditions: list[ColumnElement[bool]], limit: int, offset: int
) -> tuple[Sequence[GameTable], int]:
    """Tables matching `conditions`, most recently changed first, with the total for paging."""
    total = db.scalar(select(func.count()).select_from(GameTable).where(*conditions)) or 0
    rows = db.scalars(
        select(GameTable)
        .where(*conditions)
        .order_by(GameTable.updated_at.desc(), GameTable.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total


def list_for_owner(
    db: Session, owner: Owner, status: str | None, limit: int, offset: int
) -> tuple[Sequence[GameTable], int]:
    conditions = [owner.tables_filter()]
    if status is not None:
        conditions.append(GameTable.status == status)
    return _page(db, conditions, limit, offset)


def list_for_user(
    db: Session, caller: Owner | None, user_id: uuid.UUID, limit: int, offset: int
) -> tuple[Sequence[GameTable], int]:
    """A user's tables: all of them for that user, only public active ones for anyone else."""
    conditions: list[ColumnElement[bool]] = [GameTable.user_id == user_id]
    if caller is None or caller.user_id != user_id:
        conditions += [GameTable.is_public.is_(True), GameTable.status == "active"]
    return _page(db, conditions, limit, offset)


def apply_update(
    db: Session, owner: Owner, table_id: uuid.UUID, request: TableUpdate, now: datetime
) -> GameTable:
    table = owned(db, owner, table_id, lock=True)
    if table.status != "active":
        raise ApiError(409, ErrorCode.TABLE_ARCHIVED, "Restore this table before editing it.")
    if request.expected_version is not None and request.expected_version != table.version:
        raise ApiError(
            409,
            ErrorCode.VERSION_CONFLICT,
            f"The table changed meanwhile (now version {table.version}); reload and retry.",
        )
    changes = request.model_dump(exclude_unset=True, exclude={"expected_version", "layout"})
    if request.layout is not None:
        _check_layout_size(request.layout, table.max_assets)
        piece_assets.check_new(db, owner, request.layout.models, table.layout)
        changes["layout"] = request.layout.to_json()
        _stamp_layout_change(db, table, table.layout, changes["layout"])
    for field, value in changes.items():
        if value is None:
            raise ApiError(
                422,
                ErrorCode.VALIDATION_ERROR,
                f"Invalid request: body.{field}: may not be null.",
                [ErrorDetail(path=f"body.{field}", message="may not be null")],
            )
        setattr(table, field, value)
    bump(db, table, now)
    return table  # written at commit, once, with the owner's version (see sync_versions)


def bump(db: Session, table: GameTable, now: datetime) -> None:
    """Record that the table changed: its REST version, its sync version, its time."""
    table.version += 1
    if table.updated_at != now:  # a push bumps a table thousands of times at the same `now`
        table.updated_at = now
    sync_versions.touch_table(db, table)


def _stamp_layout_change(
    db: Session, table: GameTable, before: dict[str, Any], after: dict[str, Any]
) -> None:
    old = {p["id"]: p for p in before.get("models", [])}
    new = {p["id"]: p for p in after.get("models", [])}
    sync_versions.touch_pieces(db, table, [i for i, p in new.items() if old.get(i) != p])
    sync_versions.tombstone_pieces(db, table, [i for i in old if i not in new])


def archive(
    db: Session, owner: Owner, table_id: uuid.UUID, now: datetime, settings: Settings | None = None
) -> GameTable:
    table = owned(db, owner, table_id, lock=True, edit=False)
    if table.status != "archived":
        table.status = "archived"
        bump(db, table, now)
        db.flush()
        if settings is not None and owner.user is not None:  # a slot freed: unlock one
            table_limits.rebalance(db, owner.user.id, owners.table_limit(owner.plan, settings))
    return table


def restore(
    db: Session, owner: Owner, table_id: uuid.UUID, settings: Settings, now: datetime
) -> GameTable:
    owners.lock(db, owner)
    table = owned(db, owner, table_id, lock=True, edit=False)
    if table.status == "archived":
        owners.ensure_table_slot(db, owner, settings)
        table.status = "active"
        table.read_only = False
        bump(db, table, now)
    db.flush()
    return table


def clone(
    db: Session,
    owner: Owner,
    table_id: uuid.UUID,
    share_code: str | None,
    name: str | None,
    settings: Settings,
    now: datetime,
) -> GameTable:
    """Copy a table and its library for the caller, counted against the caller's plan."""
    source = db.get(GameTable, table_id)
    if source is None:
        raise not_found()
    by_code = share_code is not None and share_code.strip().upper() == source.share_code
    if not (owner.owns(source) or (source.status == "active" and (source.is_public or by_code))):
        raise not_found()
    owners.lock(db, owner)
    owners.ensure_table_slot(db, owner, settings)
    copy = GameTable(
        user_id=owner.user_id,
        session_id=owner.session_id,
        name=name or f"{source.name} (copy)"[:200],
        description=source.description,
        width=source.width,
        depth=source.depth,
        layout=copy_module.deepcopy(source.layout),
        is_public=False,
        share_code=new_share_code(),
        cloned_from_id=source.id,
        plan=owner.plan.value,
        max_assets=settings.max_assets_per_table,
        created_at=now,
        updated_at=now,
    )
    sync_versions.touch_pieces(db, copy, [p["id"] for p in source.layout.get("models", [])])
    db.add(copy)
    db.flush()
    _copy_library(db, copy, source.id, owner, now)
    db.execute(
        update(GameTable)
        .where(GameTable.id == source.id)
        .values(clone_count=GameTable.clone_count + 1)
    )
    db.flush()
    return copy


def _copy_library(
    db: Session, target: GameTable, source_id: uuid.UUID, owner: Owner, now: datetime
) -> None:
    """Only what the cloner could have added themselves: never another artist's draft."""
    entries = db.scalars(
        select(TableAsset)
        .join(Asset, Asset.id == TableAsset.asset_id)
        .where(
            TableAsset.table_id == source_id,
            TableAsset.removed_at.is_(None),
            table_library.usable_by(owner),
        )
    ).all()
    for entry in entries:
        copy = TableAsset(
            table_id=target.id,
            asset_id=entry.asset_id,
            added_via_set_id=entry.added_via_set_id,
            added_at=now,
        )
        sync_versions.touch_library_entry(db, target, copy)
        db.add(copy)
    sets = db.scalars(
        select(TableSet)
        .join(AssetSet, AssetSet.id == TableSet.set_id)
        .where(
            TableSet.table_id == source_id,
            TableSet.removed_at.is_(None),
            or_(AssetSet.is_public.is_(True), AssetSet.curator_id == owner.user_id),
        )
    ).all()
    for table_set in sets:
        db.add(TableSet(table_id=target.id, set_id=table_set.set_id, added_at=now))


def move_session_tables(
    db: Session, session: AnonymousSession, user: User, settings: Settings, now: datetime
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Give a session's tables to the account that claimed it, as far as its plan allows.

    Active tables move oldest first while the account has free slots; archived ones always
    move (they take no slot). Returns the ids moved and the ids left with the session.
    The caller commits.
    """
    account = Owner(user=user)
    owners.lock(db, account)
    free = owners.table_limit(account.plan, settings) - owners.active_table_count(db, account)
    tables = db.scalars(
        select(GameTable)
        .where(GameTable.session_id == session.id, GameTable.user_id.is_(None))
        .order_by(GameTable.created_at, GameTable.id)
        .with_for_update()
    ).all()
    moved: list[uuid.UUID] = []
    remaining: list[uuid.UUID] = []
    for table in tables:
        if table.status == "active":
            if free <= 0:
                remaining.append(table.id)
                continue
            free -= 1
        sync_versions.tombstone_table(db, sync_versions.table_owner_key(table), table.id)
        table.user_id = user.id
        table.session_id = None
        table.plan = account.plan.value
        bump(db, table, now)
        sync_versions.touch_pieces(db, table, [p["id"] for p in table.layout.get("models", [])])
        for entry in db.scalars(select(TableAsset).where(TableAsset.table_id == table.id)):
            sync_versions.touch_library_entry(db, table, entry)
        moved.append(table.id)
    return moved, remaining
