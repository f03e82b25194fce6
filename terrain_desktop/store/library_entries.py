"""Library entries the server already holds, written here without queueing a mutation.

When the catalogue browser adds an asset (or a set) to a synced table, it asks the server's
table-library routes directly; the server's answer is the truth, so the local store only
mirrors it (the next pull would bring the same rows). Queueing a mutation as well would send
the same add twice.
"""

from collections.abc import Iterable

from sqlalchemy import insert, select, update

from terrain_desktop.store import schema
from terrain_desktop.store.local_store import LocalStore, now_iso


def mirror_added(
    store: LocalStore, table_id: str, asset_ids: Iterable[str], via_set: str | None = None
) -> None:
    """These assets are in the table's library (again, if they had been removed)."""
    lib = schema.library.c
    now = now_iso()
    with store.engine.begin() as conn:
        for asset_id in asset_ids:
            key = (lib.table_id == table_id) & (lib.asset_id == asset_id)
            if conn.execute(select(lib.asset_id).where(key)).first() is None:
                conn.execute(
                    insert(schema.library).values(
                        table_id=table_id,
                        asset_id=asset_id,
                        added_at=now,
                        added_via_set_id=via_set,
                    )
                )
            else:
                conn.execute(update(schema.library).where(key).values(removed_at=None))
