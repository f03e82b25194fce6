"""Library entries the server already holds, written here without queueing a mutation.

When the catalogue browser adds an asset (or a set) to a synced table, it asks the server's
table-library routes directly; the server's answer is the truth, so the local store only
mirrors it (the next pull would bring the same rows). Queueing a mutation as well would send
the same add twice.
"""

from collections.abc import Iterable

from terrain_desktop.store.local_store import LocalStore, now_iso


def mirror_added(
    store: LocalStore, table_id: str, asset_ids: Iterable[str], via_set: str | None = None
) -> None:
    """These assets are in the table's library (again, if they had been removed)."""
    now = now_iso()
    with store.db.write() as conn:
        for asset_id in asset_ids:
            key = (table_id, asset_id)
            found = conn.execute(
                "SELECT asset_id FROM library WHERE table_id = ? AND asset_id = ?", key
            ).fetchone()
            if found is None:
                conn.execute(
                    "INSERT INTO library (table_id, asset_id, added_at, added_via_set_id) "
                    "VALUES (?, ?, ?, ?)",
                    (*key, now, via_set),
                )
            else:
                conn.execute(
                    "UPDATE library SET removed_at = NULL WHERE table_id = ? AND asset_id = ?", key
                )
