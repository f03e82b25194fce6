"""Push and pull: applying a device's mutations once each, and sending back what changed.

Push applies mutations through the same services as the REST routes. A mutation refused for
good (invalid on its own, or refused by a rule) is recorded and skipped without undoing the
others: placement edits are checked before they change anything, other mutations run in a
savepoint. Anything else (a database failure)
aborts the whole push, which then applies nothing.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.db.models import (
    Asset,
    GameTable,
    SyncClient,
    SyncOwner,
    SyncRejection,
    SyncTombstone,
    TableAsset,
)
from server.errors import ApiError
from server.services import (
    catalogue,
    owners,
    sync_versions,
    table_library,
    tables,
)
from server.services.owners import Owner
from server.services.sync_pieces import PieceBatch
from server.settings import Settings
from terrain_protocol import sync as protocol
from terrain_protocol.errors import ErrorCode
from terrain_protocol.tables import Layout, TableCreate, TableUpdate


def owner_key(owner: Owner) -> str:
    return sync_versions.owner_key_for(owner.user_id, owner.session_id)


def _client(db: Session, key: str, client_id: uuid.UUID) -> SyncClient:
    client = db.get(SyncClient, (key, client_id), with_for_update=True)
    if client is None:
        client = SyncClient(owner_key=key, client_id=client_id, last_mutation_id=0)
        db.add(client)
    return client


def push(
    db: Session, owner: Owner, request: protocol.PushRequest, settings: Settings, now: datetime
) -> protocol.PushResponse:
    owners.lock(db, owner)  # one push per owner at a time (each locks its tables in its order)
    db.info[sync_versions.AUTHOR] = str(request.client_id)
    try:
        return _push(db, owner, request, settings, now)
    finally:
        db.info.pop(sync_versions.AUTHOR, None)


def _push(
    db: Session, owner: Owner, request: protocol.PushRequest, settings: Settings, now: datetime
) -> protocol.PushResponse:
    key = owner_key(owner)
    version = sync_versions.current(db, key)
    client = _client(db, key, request.client_id)
    last_id = client.last_mutation_id
    applied = 0
    rejections: list[protocol.Rejection] = []
    skipped = [m.mutation_id for m in request.mutations if m.mutation_id <= last_id]
    if skipped:
        # A retried push: its answer must tell again what was refused the first time.
        rejections += [
            _rejection(r)
            for r in db.scalars(
                select(SyncRejection)
                .where(
                    SyncRejection.owner_key == key,
                    SyncRejection.client_id == request.client_id,
                    SyncRejection.mutation_id.in_(skipped),
                )
                .order_by(SyncRejection.mutation_id)
            )
        ]
    # Piece edits go to plain dicts, written once per table (see `sync_pieces`).
    pieces = PieceBatch(db, owner, str(request.client_id), version, request.mutations)
    refused: list[dict[str, Any]] = []
    for mutation in sorted(request.mutations, key=lambda m: m.mutation_id):
        if mutation.mutation_id <= last_id:
            continue  # applied before (a retry), or the same id twice in this push
        last_id = mutation.mutation_id
        try:
            if isinstance(mutation, protocol.InvalidMutation):
                raise ApiError(422, ErrorCode(mutation.code), mutation.error)
            if isinstance(mutation, PIECE_MUTATIONS):
                # Checked before anything changes, so no savepoint is needed.
                pieces.apply(mutation)
            else:
                pieces.write(now, mutation.table_id)
                with db.begin_nested():
                    apply(db, owner, mutation, settings, now)
            applied += 1
        except ApiError as refusal:
            rejection = protocol.Rejection(
                mutation_id=mutation.mutation_id,
                table_id=mutation.table_id,
                code=refusal.code.value,
                error=refusal.message,
            )
            rejections.append(rejection)
            refused.append(
                {
                    "owner_key": key,
                    "client_id": request.client_id,
                    "mutation_id": mutation.mutation_id,
                    "sync_version": version,
                    "table_id": mutation.table_id,
                    "code": rejection.code,
                    "message": rejection.error,
                }
            )
    pieces.write(now)
    if refused:
        sync_versions.insert_stamped(db, SyncRejection, refused)
    client.last_mutation_id = last_id
    client.updated_at = now
    return protocol.PushResponse(
        last_mutation_id=last_id, applied=applied, skipped=len(skipped), rejections=rejections
    )


PIECE_MUTATIONS = (protocol.AddPlacement, protocol.MovePlacement, protocol.RemovePlacement)


def apply(
    db: Session, owner: Owner, mutation: protocol.Mutation, settings: Settings, now: datetime
) -> None:
    """One mutation other than a piece edit, through the services the REST routes use
    (piece edits are `sync_pieces.PieceBatch`'s, the one home of those rules)."""
    match mutation:
        case protocol.CreateTable():
            existing = db.get(GameTable, mutation.table_id)
            if existing is not None:
                if owner.owns(existing):
                    return  # already made (e.g. the same table pushed from a restored backup)
                raise ApiError(409, ErrorCode.VALIDATION_ERROR, "That table id is taken.")
            request = TableCreate(
                name=mutation.name,
                description=mutation.description,
                width=mutation.width,
                depth=mutation.depth,
                is_public=mutation.is_public,
                layout=Layout(models=mutation.placements),
            )
            tables.create(db, owner, request, settings, now, table_id=mutation.table_id)
        case protocol.UpdateTable():
            fields = mutation.fields.model_dump(exclude_none=True)
            tables.apply_update(db, owner, mutation.table_id, TableUpdate(**fields), now)
        case protocol.ArchiveTable():
            tables.archive(db, owner, mutation.table_id, now, settings)
        case protocol.RestoreTable():
            tables.restore(db, owner, mutation.table_id, settings, now)
        case protocol.AddPlacement() | protocol.MovePlacement() | protocol.RemovePlacement():
            raise AssertionError("piece edits go through sync_pieces.PieceBatch")
        case protocol.AddLibraryAsset():
            table = _active(db, owner, mutation.table_id)
            table_library.add_asset(db, owner, table, mutation.asset_id, now)
        case protocol.RemoveLibraryAsset():
            table = _active(db, owner, mutation.table_id)
            with _already_gone(ErrorCode.NOT_IN_LIBRARY):
                table_library.remove(db, table, mutation.asset_id, now)
        case protocol.RestoreLibraryAsset():
            table = _active(db, owner, mutation.table_id)
            table_library.restore(db, table, mutation.asset_id, now)
        case protocol.AddLibrarySet():
            table = _active(db, owner, mutation.table_id)
            table_library.add_set(db, owner, table, mutation.set_id, now)
        case protocol.RemoveLibrarySet():
            table = _active(db, owner, mutation.table_id)
            with _already_gone(ErrorCode.SET_NOT_FOUND):
                table_library.remove_set(db, table, mutation.set_id, now)
        case protocol.RecordAssetUsage():
            table = _active(db, owner, mutation.table_id)
            with _already_gone(ErrorCode.NOT_IN_LIBRARY):  # e.g. a model only on that device
                table_library.record_usage(db, table, mutation.asset_id, now)


@contextmanager
def _already_gone(code: ErrorCode) -> Iterator[None]:
    """Removing what is already gone is no conflict: that refusal is swallowed."""
    try:
        yield
    except ApiError as error:
        if error.code != code:
            raise


def _rejection(row: SyncRejection) -> protocol.Rejection:
    return protocol.Rejection(
        mutation_id=row.mutation_id, table_id=row.table_id, code=row.code, error=row.message
    )


def _active(db: Session, owner: Owner, table_id: uuid.UUID) -> GameTable:
    table = tables.owned(db, owner, table_id, lock=True)
    if table.status != "active":
        raise ApiError(409, ErrorCode.TABLE_ARCHIVED, "This table is archived; restore it first.")
    return table


def pull(
    db: Session, owner: Owner, client_id: uuid.UUID, cursor: int, *, keeps_copy: bool = False
) -> protocol.PullResponse:
    """Everything of the owner's that changed after `cursor`.

    The counter is read first: anything committed after that read carries a higher version
    and comes with the next pull, so nothing committed can be skipped.
    """
    key = owner_key(owner)
    counter = db.get(SyncOwner, key)
    current = counter.version if counter else 0
    client = db.get(SyncClient, (key, client_id))
    last_mutation_id = client.last_mutation_id if client else 0
    if counter is not None and 0 < cursor <= counter.purged_through:
        return protocol.PullResponse(
            cursor=0, last_mutation_id=last_mutation_id, reset_required=True
        )
    changed = db.scalars(
        select(GameTable).where(owner.tables_filter(), GameTable.sync_version > cursor)
    ).all()
    response = protocol.PullResponse(cursor=current, last_mutation_id=last_mutation_id)
    device = str(client_id)
    for table in changed:
        response.tables.append(synced_table(table))
        versions = table.placement_versions or {}
        authors = table.placement_authors or {}
        response.placements += [
            protocol.ChangedPlacement(table_id=table.id, placement=p)
            for p in table.layout.get("models", [])
            if versions.get(p["id"], 0) > cursor
            and not _own_since(authors.get(p["id"]), device, cursor, keeps_copy)
        ]
    entries = db.scalars(  # never an asset the owner may not see (another artist's draft)
        select(TableAsset)
        .join(Asset, Asset.id == TableAsset.asset_id)
        .where(
            TableAsset.owner_key == key,
            TableAsset.sync_version > cursor,
            catalogue.visible_to(owner.user),
        )
    )
    response.library = [
        protocol.LibraryEntry(
            table_id=e.table_id,
            asset_id=e.asset_id,
            added_at=e.added_at,
            removed_at=e.removed_at,
            added_via_set_id=e.added_via_set_id,
        )
        for e in entries
    ]
    stones = db.scalars(
        select(SyncTombstone).where(
            SyncTombstone.owner_key == key, SyncTombstone.sync_version > cursor
        )
    )
    response.tombstones = [
        protocol.Tombstone(kind=t.kind, table_id=t.table_id, id=t.entity_id) for t in stones
    ]
    refused = db.scalars(
        select(SyncRejection)
        .where(
            SyncRejection.owner_key == key,
            SyncRejection.client_id == client_id,
            SyncRejection.sync_version > cursor,
        )
        .order_by(SyncRejection.mutation_id)
    )
    response.rejections = [_rejection(r) for r in refused]
    return response


def _own_since(author: dict[str, Any] | None, device: str, cursor: int, keeps_copy: bool) -> bool:
    """True when every change to a placement after `cursor` came from `device`'s pushes: it
    holds the placement as it is already, and need not download it again. A full download
    (cursor 0, after a reset wiped the device's copy) sends everything, unless the device
    says it kept its copy (its first sync)."""
    if (cursor <= 0 and not keeps_copy) or author is None:
        return False
    return bool(author["client"] == device and author["since"] <= cursor)


def synced_table(table: GameTable) -> protocol.SyncedTable:
    return protocol.SyncedTable(
        id=table.id,
        name=table.name,
        description=table.description,
        width=table.width,
        depth=table.depth,
        is_public=table.is_public,
        status="archived" if table.status == "archived" else "active",
        plan=table.plan,
        max_assets=table.max_assets,
        share_code=table.share_code,
        version=table.version,
        created_at=table.created_at,
        updated_at=table.updated_at,
    )


def purge_tombstones(db: Session, now: datetime, keep: timedelta) -> int:
    """Forget tombstones older than `keep`; cursors from before them must then reset."""
    cutoff = now - keep
    purged = db.execute(
        select(SyncTombstone.owner_key, func.max(SyncTombstone.sync_version))
        .where(SyncTombstone.created_at < cutoff)
        .group_by(SyncTombstone.owner_key)
    ).all()
    for key, version in purged:
        counter = db.get(SyncOwner, key, with_for_update=True)
        if counter is not None:
            counter.purged_through = max(counter.purged_through, version)
    result = db.execute(delete(SyncTombstone).where(SyncTombstone.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
