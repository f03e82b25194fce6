"""Folding the server's answers into the local store.

After a pull the local state is the server's state with this device's still-pending
mutations re-applied on top, in order; refusals are shown on the table they concern, and a
refused table is kept, never deleted.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection, Text, delete, func, insert, select, type_coerce, update
from sqlalchemy.dialects.sqlite import insert as upsert

from terrain_desktop.store import apply, schema
from terrain_desktop.store.local_store import LOCAL_ONLY, LocalStore, _mutation, now_iso
from terrain_protocol import sync as protocol

CURSOR_KEY = "sync_cursor:{owner}"


def cursor(store: LocalStore, owner: str) -> int:
    return int(store.get_meta(CURSOR_KEY.format(owner=owner)) or 0)


def acknowledge(
    store: LocalStore, last_mutation_id: int, rejections: Iterable[protocol.Rejection]
) -> bool:
    """Forget mutations the server has dealt with; mark refusals. True when a refusal other
    than a refused new table leaves this device's view of a table wrong (then re-download)."""
    needs_reset = False
    with store.engine.begin() as conn:
        for rejection in rejections:
            needs_reset |= _refused(conn, rejection)
        conn.execute(delete(schema.outbox).where(schema.outbox.c.mutation_id <= last_mutation_id))
    return needs_reset


def refuse(store: LocalStore, rejections: Iterable[protocol.Rejection]) -> bool:
    """Refusals decided on this side: shown like the server's, and those mutations dropped
    from the outbox. True when a table's local view is now wrong (then re-download)."""
    needs_reset = False
    with store.engine.begin() as conn:
        for rejection in rejections:
            needs_reset |= _refused(conn, rejection)
            conn.execute(
                delete(schema.outbox).where(schema.outbox.c.mutation_id == rejection.mutation_id)
            )
    return needs_reset


@dataclass(frozen=True)
class Queued:
    """A queued mutation as stored: the protocol's JSON object as text, with its id and table."""

    mutation_id: int
    table_id: str
    body: str


def next_batch(store: LocalStore, after: int, limit: int) -> list[Queued]:
    """The next `limit` queued mutations after id `after`, in one query, as stored.

    They are neither parsed nor decoded here: each was checked against the protocol when it
    was queued, and the server checks each again and refuses a bad one on its own (one queued
    by an older version, say), so it never holds back the edits queued after it. SQLite adds
    the row's kind, table and id to the stored JSON text (they win over any key of the same
    name, as `_raw` lets them); decoding ten thousand payloads in Python only to encode them
    again was a sixth of a large push's time.
    """
    o = schema.outbox.c
    body = func.json_set(
        type_coerce(o.payload, Text),
        "$.kind",
        o.kind,
        "$.table_id",
        o.table_id,
        "$.mutation_id",
        o.mutation_id,
        type_=Text,
    )
    query = (
        select(o.mutation_id, o.table_id, body)
        .where(o.mutation_id > after)
        .order_by(o.mutation_id)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [Queued(*row) for row in rows]


def rejection(queued: Queued, code: str, error: str) -> protocol.Rejection:
    return protocol.Rejection(
        mutation_id=queued.mutation_id, table_id=_uuid(queued.table_id), code=code, error=error
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _refused(conn: Connection, rejection: protocol.Rejection) -> bool:
    row = conn.execute(
        select(schema.outbox.c.kind, schema.outbox.c.table_id, schema.outbox.c.payload).where(
            schema.outbox.c.mutation_id == rejection.mutation_id
        )
    ).first()
    if row is None:
        return False  # already handled (its push answer was received before)
    t = schema.tables.c
    if row.kind == "create_table":
        conn.execute(
            update(schema.tables)
            .where(t.id == str(rejection.table_id))
            .values(sync_state="rejected", sync_error=rejection.error)
        )
        return False
    state = conn.execute(select(t.sync_state).where(t.id == str(rejection.table_id))).scalar()
    if state == "rejected":
        return False  # edits of a table the server never took: they stay local
    if row.kind == "add_library_asset" and rejection.code == "asset_not_found":
        return False  # an asset this server does not publish: it stays in the local library
    if row.kind != "record_asset_usage":  # the recent list's hint: nothing the user made
        # The re-download drops its effect here, so it is kept where the user can see it.
        conn.execute(
            upsert(schema.refusals)
            .values(
                mutation_id=rejection.mutation_id,
                table_id=row.table_id,
                kind=row.kind,
                payload=row.payload,
                code=rejection.code,
                error=rejection.error,
                refused_at=now_iso(),
            )
            .on_conflict_do_nothing()
        )
    conn.execute(
        update(schema.tables)
        .where(t.id == str(rejection.table_id))
        .values(sync_error=rejection.error)
    )
    return True


def apply_pull(
    store: LocalStore, owner: str, response: protocol.PullResponse, *, full: bool
) -> None:
    """Take the server's changes, then re-apply what is still pending, in one transaction."""
    now = now_iso()
    with store.engine.begin() as conn:
        if full:
            _forget_server_state(conn)
        _upsert_tables(conn, response.tables)
        _upsert_placements(conn, response.placements)
        for stone in response.tombstones:
            _bury(conn, stone)
        _upsert_library(conn, response.library)
        for row in conn.execute(select(schema.outbox).order_by(schema.outbox.c.mutation_id)):
            try:
                mutation = _mutation(row._mapping)
            except ValidationError:
                continue  # unreadable (queued by an older version): the server refuses it
            apply.apply(conn, mutation, now)
        key = CURSOR_KEY.format(owner=owner)
        conn.execute(delete(schema.meta).where(schema.meta.c.key == key))
        conn.execute(insert(schema.meta).values(key=key, value=str(response.cursor)))


def forget_server_state(store: LocalStore) -> None:
    """Drop every table the server holds (it sends them again at a full download)."""
    with store.engine.begin() as conn:
        _forget_server_state(conn)


def _forget_server_state(conn: Connection) -> None:
    """Before a full download: drop everything the server will send again. Tables the server
    refused, and the untouched sample it never saw, stay with their pieces and library."""
    here_only = schema.tables.c.sync_state.in_(["rejected", LOCAL_ONLY])
    keep = select(schema.tables.c.id).where(here_only)
    conn.execute(delete(schema.placements).where(schema.placements.c.table_id.not_in(keep)))
    conn.execute(delete(schema.library).where(schema.library.c.table_id.not_in(keep)))
    conn.execute(delete(schema.tables).where(~here_only))


def _upsert_tables(conn: Connection, tables: list[protocol.SyncedTable]) -> None:
    """All of a pull's tables in one INSERT ... ON CONFLICT (created_at kept from the first)."""
    if not tables:
        return
    rows = [
        {
            "id": str(table.id),
            "created_at": table.created_at.isoformat(),
            "name": table.name,
            "description": table.description,
            "width": table.width,
            "depth": table.depth,
            "is_public": table.is_public,
            "status": table.status,
            "plan": table.plan,
            "max_assets": table.max_assets,
            "share_code": table.share_code,
            "updated_at": table.updated_at.isoformat(),
            "sync_state": "synced",
            "sync_error": None,
        }
        for table in tables
    ]
    statement = upsert(schema.tables)
    kept = {"id", "created_at"}
    changes = {c: statement.excluded[c] for c in rows[0] if c not in kept}
    conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=changes), rows)


def _upsert_placements(conn: Connection, changed: list[protocol.ChangedPlacement]) -> None:
    """All of a pull's placements in one INSERT ... ON CONFLICT: a pull of thousands of
    pieces costs one statement, not a SELECT and an UPDATE each."""
    if not changed:
        return
    rows = [
        {"table_id": str(c.table_id), "id": c.placement["id"], "data": c.placement} for c in changed
    ]
    statement = upsert(schema.placements)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["table_id", "id"], set_={"data": statement.excluded.data}
        ),
        rows,
    )


def _bury(conn: Connection, stone: protocol.Tombstone) -> None:
    table_id = str(stone.table_id)
    p = schema.placements.c
    if stone.kind == "placement":
        conn.execute(delete(schema.placements).where((p.table_id == table_id) & (p.id == stone.id)))
        return
    conn.execute(delete(schema.placements).where(p.table_id == table_id))
    conn.execute(delete(schema.library).where(schema.library.c.table_id == table_id))
    conn.execute(delete(schema.tables).where(schema.tables.c.id == table_id))


def _upsert_library(conn: Connection, entries: list[protocol.LibraryEntry]) -> None:
    if not entries:
        return
    rows = [
        {
            "table_id": str(entry.table_id),
            "asset_id": str(entry.asset_id),
            "added_at": entry.added_at.isoformat(),
            "removed_at": entry.removed_at.isoformat() if entry.removed_at else None,
            "added_via_set_id": str(entry.added_via_set_id) if entry.added_via_set_id else None,
        }
        for entry in entries
    ]
    statement = upsert(schema.library)
    changes = {c: statement.excluded[c] for c in ("added_at", "removed_at", "added_via_set_id")}
    conn.execute(
        statement.on_conflict_do_update(index_elements=["table_id", "asset_id"], set_=changes),
        rows,
    )
