"""What a mutation does to the local state.

The same function applies an edit when the user makes it and re-applies still-pending edits
on top of what a pull brought, so it must be idempotent: applying a mutation twice, or after
the server's newer state, gives the same result as applying it once on top.
"""

import json
from sqlite3 import Connection
from typing import Any

from terrain_desktop.store.database import to_json
from terrain_protocol import sync as protocol


def _upsert_placement(conn: Connection, table_id: str, data: dict[str, Any]) -> None:
    key = (table_id, data["id"])
    found = conn.execute("SELECT id FROM placements WHERE table_id = ? AND id = ?", key)
    if found.fetchone() is None:
        conn.execute(
            "INSERT INTO placements (table_id, id, data) VALUES (?, ?, ?)", (*key, to_json(data))
        )
    else:
        conn.execute(
            "UPDATE placements SET data = ? WHERE table_id = ? AND id = ?", (to_json(data), *key)
        )


def _table_exists(conn: Connection, table_id: str) -> bool:
    return conn.execute("SELECT id FROM tables WHERE id = ?", (table_id,)).fetchone() is not None


def _update_table(conn: Connection, table_id: str, **fields: Any) -> None:
    """Set these columns of one table (names from this module or the protocol's TableFields)."""
    columns = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(f"UPDATE tables SET {columns} WHERE id = ?", (*fields.values(), table_id))  # noqa: S608 (column names are ours)


def apply(conn: Connection, mutation: protocol.Mutation, now: str) -> None:
    table_id = str(mutation.table_id)
    match mutation:
        case protocol.CreateTable():
            fields = {
                "name": mutation.name,
                "description": mutation.description,
                "width": mutation.width,
                "depth": mutation.depth,
                "is_public": mutation.is_public,
            }
            if _table_exists(conn, table_id):
                _update_table(conn, table_id, **fields)
            else:
                conn.execute(
                    "INSERT INTO tables (id, name, description, width, depth, is_public, status, "
                    "created_at, updated_at, sync_state) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, 'local')",
                    (table_id, *fields.values(), now, now),
                )
            for placement in mutation.placements:
                _upsert_placement(conn, table_id, placement.model_dump(mode="json", by_alias=True))
        case protocol.UpdateTable():
            changed = mutation.fields.model_dump(exclude_none=True)
            if changed:
                _update_table(conn, table_id, updated_at=now, **changed)
        case protocol.ArchiveTable():
            _update_table(conn, table_id, status="archived")
        case protocol.RestoreTable():
            _update_table(conn, table_id, status="active")
        case protocol.AddPlacement():
            if _table_exists(conn, table_id):
                data = mutation.placement.model_dump(mode="json", by_alias=True)
                _upsert_placement(conn, table_id, data)
        case protocol.MovePlacement():
            key = (table_id, mutation.placement_id)
            row = conn.execute(
                "SELECT data FROM placements WHERE table_id = ? AND id = ?", key
            ).fetchone()
            if row is not None:  # a removed piece stays removed
                changes = mutation.changes.model_dump(mode="json", by_alias=True, exclude_none=True)
                conn.execute(
                    "UPDATE placements SET data = ? WHERE table_id = ? AND id = ?",
                    (to_json({**json.loads(row[0]), **changes}), *key),
                )
        case protocol.RemovePlacement():
            conn.execute(
                "DELETE FROM placements WHERE table_id = ? AND id = ?",
                (table_id, mutation.placement_id),
            )
        case protocol.AddLibraryAsset() | protocol.RestoreLibraryAsset():
            _library_entry(conn, table_id, str(mutation.asset_id), now, removed=False)
        case protocol.RemoveLibraryAsset():
            _library_entry(conn, table_id, str(mutation.asset_id), now, removed=True)
        case protocol.AddLibrarySet() | protocol.RecordAssetUsage():
            pass  # the set's members arrive with the next pull; usage is the server's to count
        case protocol.RemoveLibrarySet():
            conn.execute(
                "UPDATE library SET removed_at = ? WHERE table_id = ? AND added_via_set_id = ? "
                "AND removed_at IS NULL",
                (now, table_id, str(mutation.set_id)),
            )


def _library_entry(
    conn: Connection, table_id: str, asset_id: str, now: str, *, removed: bool
) -> None:
    key = (table_id, asset_id)
    found = conn.execute("SELECT asset_id FROM library WHERE table_id = ? AND asset_id = ?", key)
    if found.fetchone() is None:
        if not removed:
            conn.execute(
                "INSERT INTO library (table_id, asset_id, added_at) VALUES (?, ?, ?)",
                (*key, now),
            )
        return
    conn.execute(
        "UPDATE library SET removed_at = ? WHERE table_id = ? AND asset_id = ?",
        (now if removed else None, *key),
    )
