"""A table's own library: the assets its owner picked from the catalogue.

Removal is soft and can be undone for five minutes; the table's `max_assets` bounds it.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from server.db.models import (
    Asset,
    AssetDailyUse,
    AssetSet,
    GameTable,
    RecentAssetUsage,
    SetAsset,
    TableAsset,
    TableSet,
    User,
)
from server.errors import ApiError
from server.services import catalogue, sync_versions
from server.services.owners import Owner
from terrain_protocol.errors import ErrorCode
from terrain_protocol.library import UNDO_WINDOW_SECONDS

UNDO_WINDOW = timedelta(seconds=UNDO_WINDOW_SECONDS)


def usable_by(owner: Owner) -> ColumnElement[bool]:
    """Assets a table's owner may put in its library: published ones, and their own drafts."""
    published = and_(Asset.status == "published", Asset.visibility.in_(["public", "unlisted"]))
    if owner.user is None:
        return published
    return or_(published, and_(Asset.artist_id == owner.user.id, Asset.status != "archived"))


def _active_count(db: Session, table_id: uuid.UUID) -> int:
    query = select(func.count()).where(
        TableAsset.table_id == table_id, TableAsset.removed_at.is_(None)
    )
    return db.scalar(query) or 0


def _ensure_room(db: Session, table: GameTable, adding: int) -> None:
    if _active_count(db, table.id) + adding > table.max_assets:
        raise ApiError(
            402,
            ErrorCode.LIBRARY_LIMIT,
            f"This table's library is full: it holds at most {table.max_assets} assets.",
        )


def _entry(db: Session, table_id: uuid.UUID, asset_id: uuid.UUID) -> TableAsset | None:
    return db.get(TableAsset, (table_id, asset_id), with_for_update=True, populate_existing=True)


def _join(
    table: GameTable,
    entry: TableAsset | None,
    asset_id: uuid.UUID,
    set_id: uuid.UUID | None,
    db: Session,
    now: datetime,
) -> bool:
    """Put an asset in the library; True when it was not there before."""
    if entry is None:
        entry = TableAsset(
            table_id=table.id, asset_id=asset_id, added_via_set_id=set_id, added_at=now
        )
        db.add(entry)
    elif entry.removed_at is not None:
        entry.removed_at = None
        entry.added_at = now
    else:
        return False
    sync_versions.touch_library_entry(db, table, entry)
    count_once_a_day(db, table, asset_id, "add", now)
    return True


def add_asset(
    db: Session, owner: Owner, table: GameTable, asset_id: uuid.UUID, now: datetime
) -> bool:
    """Add one asset; True when it is new to the library (adding again is harmless)."""
    if db.scalar(select(Asset.id).where(Asset.id == asset_id, usable_by(owner))) is None:
        raise ApiError(404, ErrorCode.ASSET_NOT_FOUND, "Asset not found.")
    entry = _entry(db, table.id, asset_id)
    if entry is None or entry.removed_at is not None:
        _ensure_room(db, table, 1)
    added = _join(table, entry, asset_id, None, db, now)
    db.flush()
    return added


def add_set(
    db: Session, owner: Owner, table: GameTable, set_id: uuid.UUID, now: datetime
) -> tuple[int, int, int]:
    """Add every usable asset of a set in one transaction: (new, already there, unavailable)."""
    visible = or_(AssetSet.is_public.is_(True), AssetSet.curator_id == owner.user_id)
    if db.scalar(select(AssetSet.id).where(AssetSet.id == set_id, visible)) is None:
        raise ApiError(404, ErrorCode.SET_NOT_FOUND, "Set not found.")
    member_ids = db.scalars(  # members the caller may not see are not even counted
        select(SetAsset.asset_id)
        .join(Asset, Asset.id == SetAsset.asset_id)
        .where(SetAsset.set_id == set_id, catalogue.visible_to(owner.user))
        .order_by(SetAsset.position)
    ).all()
    usable = set(db.scalars(select(Asset.id).where(Asset.id.in_(member_ids), usable_by(owner))))
    entries = {
        e.asset_id: e
        for e in db.scalars(
            select(TableAsset)
            .where(TableAsset.table_id == table.id, TableAsset.asset_id.in_(usable))
            .with_for_update()
        )
    }
    new_ids = [a for a in member_ids if a in usable and (a not in entries or entries[a].removed_at)]
    _ensure_room(db, table, len(new_ids))
    for asset_id in new_ids:
        _join(table, entries.get(asset_id), asset_id, set_id, db, now)
    table_set = db.get(TableSet, (table.id, set_id), with_for_update=True)
    if table_set is None:
        db.add(TableSet(table_id=table.id, set_id=set_id, added_at=now))
    else:
        table_set.removed_at = None
    db.flush()
    return len(new_ids), len(usable) - len(new_ids), len(member_ids) - len(usable)


def remove_set(db: Session, table: GameTable, set_id: uuid.UUID, now: datetime) -> int:
    """Take a set out of the library with the assets it brought (each restorable for a while).

    Returns how many assets went with it.
    """
    table_set = db.get(TableSet, (table.id, set_id), with_for_update=True)
    if table_set is None or table_set.removed_at is not None:
        raise ApiError(404, ErrorCode.SET_NOT_FOUND, "That set is not in this table's library.")
    table_set.removed_at = now
    entries = db.scalars(
        select(TableAsset)
        .where(
            TableAsset.table_id == table.id,
            TableAsset.added_via_set_id == set_id,
            TableAsset.removed_at.is_(None),
        )
        .with_for_update()
    ).all()
    for entry in entries:
        entry.removed_at = now
        sync_versions.touch_library_entry(db, table, entry)
    db.flush()
    return len(entries)


def remove(db: Session, table: GameTable, asset_id: uuid.UUID, now: datetime) -> datetime:
    """Soft-remove; returns until when the removal can be undone."""
    entry = _entry(db, table.id, asset_id)
    if entry is None or entry.removed_at is not None:
        raise ApiError(404, ErrorCode.NOT_IN_LIBRARY, "That asset is not in this table's library.")
    entry.removed_at = now
    sync_versions.touch_library_entry(db, table, entry)
    db.flush()
    return now + UNDO_WINDOW


def restore(db: Session, table: GameTable, asset_id: uuid.UUID, now: datetime) -> None:
    entry = _entry(db, table.id, asset_id)
    if entry is None:
        raise ApiError(
            404, ErrorCode.NOT_IN_LIBRARY, "That asset was never in this table's library."
        )
    if entry.removed_at is None:
        return  # already there: undoing twice is harmless
    if now - entry.removed_at > UNDO_WINDOW:
        raise ApiError(
            410, ErrorCode.UNDO_EXPIRED, "Too late to undo: removals can be undone for 5 minutes."
        )
    _ensure_room(db, table, 1)
    entry.removed_at = None
    sync_versions.touch_library_entry(db, table, entry)
    db.flush()


#: `db.info` key: uses recorded so far by this request.
_USES = "asset_uses_recorded"


def record_usage(db: Session, table: GameTable, asset_id: uuid.UUID, now: datetime) -> None:
    entry = _entry(db, table.id, asset_id)
    if entry is None or entry.removed_at is not None:
        raise ApiError(404, ErrorCode.NOT_IN_LIBRARY, "That asset is not in this table's library.")
    # A sync push records a session's uses at one `now`: each is stamped a microsecond after
    # the one before in the request, so the recent list keeps their order instead of a tie.
    tick = db.info[_USES] = db.info.get(_USES, -1) + 1
    used_at = now + timedelta(microseconds=tick)
    usage = db.get(RecentAssetUsage, (table.id, asset_id), with_for_update=True)
    if usage is None:
        db.add(RecentAssetUsage(table_id=table.id, asset_id=asset_id, last_used_at=used_at))
    else:
        usage.last_used_at = used_at
        usage.use_count += 1
    count_once_a_day(db, table, asset_id, "use", now)
    db.flush()


def count_once_a_day(
    db: Session, table: GameTable, asset_id: uuid.UUID, kind: str, now: datetime
) -> None:
    """Popularity: an owner adding or using an asset counts once a day, however often they
    repeat it (from however many tables), so no one can push an asset up the catalogue."""
    first_today = db.scalar(
        pg_insert(AssetDailyUse)
        .values(
            asset_id=asset_id,
            owner_key=sync_versions.table_owner_key(table),
            day=now.astimezone(UTC).date(),
            kind=kind,
        )
        .on_conflict_do_nothing()
        .returning(AssetDailyUse.asset_id)
    )
    if first_today is not None:
        column = Asset.add_count if kind == "add" else Asset.use_count
        db.execute(update(Asset).where(Asset.id == asset_id).values({column: column + 1}))


def escape_like(text: str) -> str:
    """Make user text match literally inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _library_query(table_id: uuid.UUID, viewer: User | None) -> Select[tuple[TableAsset, Asset]]:
    """The library as `viewer` may see it: an asset its artist took back (a draft again, say)
    stays in the library but is not shown."""
    return (
        select(TableAsset, Asset)
        .join(Asset, Asset.id == TableAsset.asset_id)
        .where(
            TableAsset.table_id == table_id,
            TableAsset.removed_at.is_(None),
            catalogue.visible_to(viewer),
        )
    )


def listing(
    db: Session,
    table: GameTable,
    viewer: User | None,
    text: str | None,
    category: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[tuple[TableAsset, Asset]], int]:
    query = _library_query(table.id, viewer)
    if text:
        pattern = f"%{escape_like(text)}%"
        query = query.where(
            or_(
                Asset.name.ilike(pattern),
                Asset.description.ilike(pattern),
                func.array_to_string(Asset.tags, " ").ilike(pattern),
            )
        )
    if category:
        query = query.where(Asset.category == category)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = (
        db.execute(
            query.order_by(TableAsset.added_at.desc(), Asset.name).limit(limit).offset(offset)
        )
        .tuples()
        .all()
    )
    return rows, total


def recent(
    db: Session, table: GameTable, viewer: User | None, limit: int
) -> Sequence[tuple[TableAsset, Asset, RecentAssetUsage]]:
    query = (
        _library_query(table.id, viewer)
        .join(
            RecentAssetUsage,
            and_(
                RecentAssetUsage.table_id == TableAsset.table_id,
                RecentAssetUsage.asset_id == TableAsset.asset_id,
            ),
        )
        .add_columns(RecentAssetUsage)
        .order_by(RecentAssetUsage.last_used_at.desc())
        .limit(limit)
    )
    return db.execute(query).tuples().all()
