"""What a mutation does to the local state.

The same function applies an edit when the user makes it and re-applies still-pending edits
on top of what a pull brought, so it must be idempotent: applying a mutation twice, or after
the server's newer state, gives the same result as applying it once on top.
"""

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from terrain_desktop.store import schema
from terrain_protocol import sync as protocol


def _upsert_placement(conn: Connection, table_id: str, data: dict[str, Any]) -> None:
    key = (schema.placements.c.table_id == table_id) & (schema.placements.c.id == data["id"])
    if conn.execute(select(schema.placements.c.id).where(key)).first() is None:
        conn.execute(insert(schema.placements).values(table_id=table_id, id=data["id"], data=data))
    else:
        conn.execute(update(schema.placements).where(key).values(data=data))


def _table_exists(conn: Connection, table_id: str) -> bool:
    query = select(schema.tables.c.id).where(schema.tables.c.id == table_id)
    return conn.execute(query).first() is not None


def apply(conn: Connection, mutation: protocol.Mutation, now: str) -> None:
    table_id = str(mutation.table_id)
    t = schema.tables.c
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
                conn.execute(update(schema.tables).where(t.id == table_id).values(**fields))
            else:
                conn.execute(
                    insert(schema.tables).values(
                        id=table_id,
                        status="active",
                        created_at=now,
                        updated_at=now,
                        sync_state="local",
                        **fields,
                    )
                )
            for placement in mutation.placements:
                _upsert_placement(conn, table_id, placement.model_dump(mode="json", by_alias=True))
        case protocol.UpdateTable():
            fields = mutation.fields.model_dump(exclude_none=True)
            if fields:
                conn.execute(
                    update(schema.tables).where(t.id == table_id).values(updated_at=now, **fields)
                )
        case protocol.ArchiveTable():
            conn.execute(update(schema.tables).where(t.id == table_id).values(status="archived"))
        case protocol.RestoreTable():
            conn.execute(update(schema.tables).where(t.id == table_id).values(status="active"))
        case protocol.AddPlacement():
            if _table_exists(conn, table_id):
                data = mutation.placement.model_dump(mode="json", by_alias=True)
                _upsert_placement(conn, table_id, data)
        case protocol.MovePlacement():
            p = schema.placements.c
            key = (p.table_id == table_id) & (p.id == mutation.placement_id)
            row = conn.execute(select(p.data).where(key)).first()
            if row is not None:  # a removed piece stays removed
                changes = mutation.changes.model_dump(mode="json", by_alias=True, exclude_none=True)
                conn.execute(
                    update(schema.placements).where(key).values(data={**row.data, **changes})
                )
        case protocol.RemovePlacement():
            p = schema.placements.c
            conn.execute(
                delete(schema.placements).where(
                    (p.table_id == table_id) & (p.id == mutation.placement_id)
                )
            )
        case protocol.AddLibraryAsset() | protocol.RestoreLibraryAsset():
            _library_entry(conn, table_id, str(mutation.asset_id), now, removed=False)
        case protocol.RemoveLibraryAsset():
            _library_entry(conn, table_id, str(mutation.asset_id), now, removed=True)
        case protocol.AddLibrarySet() | protocol.RecordAssetUsage():
            pass  # the set's members arrive with the next pull; usage is the server's to count
        case protocol.RemoveLibrarySet():
            lib = schema.library.c
            conn.execute(
                update(schema.library)
                .where(
                    (lib.table_id == table_id)
                    & (lib.added_via_set_id == str(mutation.set_id))
                    & lib.removed_at.is_(None)
                )
                .values(removed_at=now)
            )


def _library_entry(
    conn: Connection, table_id: str, asset_id: str, now: str, *, removed: bool
) -> None:
    lib = schema.library.c
    key = (lib.table_id == table_id) & (lib.asset_id == asset_id)
    if conn.execute(select(lib.asset_id).where(key)).first() is None:
        if not removed:
            conn.execute(
                insert(schema.library).values(table_id=table_id, asset_id=asset_id, added_at=now)
            )
        return
    conn.execute(update(schema.library).where(key).values(removed_at=now if removed else None))
