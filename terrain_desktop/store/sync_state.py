"""Folding the server's answers into the local store.

After a pull the local state is the server's state with this device's still-pending
mutations re-applied on top, in order; refusals are shown on the table they concern, and a
refused table is kept, never deleted.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from sqlite3 import Connection

from pydantic import ValidationError

from terrain_desktop.store import apply
from terrain_desktop.store.database import to_json
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
    with store.db.write() as conn:
        for rejection in rejections:
            needs_reset |= _refused(conn, rejection)
        conn.execute("DELETE FROM outbox WHERE mutation_id <= ?", (last_mutation_id,))
    return needs_reset


def refuse(store: LocalStore, rejections: Iterable[protocol.Rejection]) -> bool:
    """Refusals decided on this side: shown like the server's, and those mutations dropped
    from the outbox. True when a table's local view is now wrong (then re-download)."""
    needs_reset = False
    with store.db.write() as conn:
        for rejection in rejections:
            needs_reset |= _refused(conn, rejection)
            conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (rejection.mutation_id,))
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
    query = (
        "SELECT mutation_id, table_id, "
        "json_set(payload, '$.kind', kind, '$.table_id', table_id, '$.mutation_id', mutation_id) "
        "FROM outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?"
    )
    with store.db.read() as conn:
        rows = conn.execute(query, (after, limit)).fetchall()
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
        "SELECT kind, table_id, payload FROM outbox WHERE mutation_id = ?",
        (rejection.mutation_id,),
    ).fetchone()
    if row is None:
        return False  # already handled (its push answer was received before)
    kind, table_id, payload = row
    refused_table = str(rejection.table_id)
    if kind == "create_table":
        conn.execute(
            "UPDATE tables SET sync_state = 'rejected', sync_error = ? WHERE id = ?",
            (rejection.error, refused_table),
        )
        return False
    state = conn.execute("SELECT sync_state FROM tables WHERE id = ?", (refused_table,))
    if (state.fetchone() or (None,))[0] == "rejected":
        return False  # edits of a table the server never took: they stay local
    if kind == "add_library_asset" and rejection.code == "asset_not_found":
        return False  # an asset this server does not publish: it stays in the local library
    if kind != "record_asset_usage":  # the recent list's hint: nothing the user made
        now = now_iso()
        # The re-download drops its effect here, so it is kept where the user can see it.
        conn.execute(
            "INSERT INTO refusals (mutation_id, table_id, kind, payload, code, error, refused_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (rejection.mutation_id, table_id, kind, payload, rejection.code, rejection.error, now),
        )
    conn.execute("UPDATE tables SET sync_error = ? WHERE id = ?", (rejection.error, refused_table))
    return True


def apply_pull(
    store: LocalStore, owner: str, response: protocol.PullResponse, *, full: bool
) -> None:
    """Take the server's changes, then re-apply what is still pending, in one transaction."""
    now = now_iso()
    with store.db.write() as conn:
        if full:
            _forget_server_state(conn)
        _upsert_tables(conn, response.tables)
        _upsert_placements(conn, response.placements)
        for stone in response.tombstones:
            _bury(conn, stone)
        _upsert_library(conn, response.library)
        for row in conn.execute("SELECT * FROM outbox ORDER BY mutation_id").fetchall():
            try:
                mutation = _mutation(row)
            except ValidationError:
                continue  # unreadable (queued by an older version): the server refuses it
            apply.apply(conn, mutation, now)
        key = CURSOR_KEY.format(owner=owner)
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, str(response.cursor)))


def forget_server_state(store: LocalStore) -> None:
    """Drop every table the server holds (it sends them again at a full download)."""
    with store.db.write() as conn:
        _forget_server_state(conn)


def _forget_server_state(conn: Connection) -> None:
    """Before a full download: drop everything the server will send again. Tables the server
    refused, and the untouched sample it never saw, stay with their pieces and library."""
    keep = "(SELECT id FROM tables WHERE sync_state IN ('rejected', ?))"
    conn.execute(f"DELETE FROM placements WHERE table_id NOT IN {keep}", (LOCAL_ONLY,))  # noqa: S608 (constant)
    conn.execute(f"DELETE FROM library WHERE table_id NOT IN {keep}", (LOCAL_ONLY,))  # noqa: S608 (constant)
    conn.execute("DELETE FROM tables WHERE sync_state NOT IN ('rejected', ?)", (LOCAL_ONLY,))


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
    columns = list(rows[0])
    changes = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("id", "created_at"))
    conn.executemany(
        f"INSERT INTO tables ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "  # noqa: S608 (our columns)
        f"ON CONFLICT (id) DO UPDATE SET {changes}",
        [tuple(row.values()) for row in rows],
    )


def _upsert_placements(conn: Connection, changed: list[protocol.ChangedPlacement]) -> None:
    """All of a pull's placements in one INSERT ... ON CONFLICT: a pull of thousands of
    pieces costs one statement, not a SELECT and an UPDATE each."""
    if not changed:
        return
    conn.executemany(
        "INSERT INTO placements (table_id, id, data) VALUES (?, ?, ?) "
        "ON CONFLICT (table_id, id) DO UPDATE SET data = excluded.data",
        [(str(c.table_id), c.placement["id"], to_json(c.placement)) for c in changed],
    )


def _bury(conn: Connection, stone: protocol.Tombstone) -> None:
    table_id = str(stone.table_id)
    if stone.kind == "placement":
        conn.execute("DELETE FROM placements WHERE table_id = ? AND id = ?", (table_id, stone.id))
        return
    conn.execute("DELETE FROM placements WHERE table_id = ?", (table_id,))
    conn.execute("DELETE FROM library WHERE table_id = ?", (table_id,))
    conn.execute("DELETE FROM tables WHERE id = ?", (table_id,))


def _upsert_library(conn: Connection, entries: list[protocol.LibraryEntry]) -> None:
    if not entries:
        return
    rows = [
        (
            str(entry.table_id),
            str(entry.asset_id),
            entry.added_at.isoformat(),
            entry.removed_at.isoformat() if entry.removed_at else None,
            str(entry.added_via_set_id) if entry.added_via_set_id else None,
        )
        for entry in entries
    ]
    conn.executemany(
        "INSERT INTO library (table_id, asset_id, added_at, removed_at, added_via_set_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_id, asset_id) DO UPDATE SET "
        "added_at = excluded.added_at, removed_at = excluded.removed_at, "
        "added_via_set_id = excluded.added_via_set_id",
        rows,
    )
