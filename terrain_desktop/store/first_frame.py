"""The table the app opens on, read for the window's first frame with the standard library.

Opening the store proper loads pydantic (the protocol's mutations, which every edit is checked
against) and upgrades the schema; when it was SQLAlchemy Core, that took about as long, on this
project's machines, as importing VTK itself. None of that is needed to draw the table a user
last worked on, so start-up reads that table here with `sqlite3` (read-only, no schema upgrade)
and shows it; the window opens the real store right after the first frame and takes over with
the same table. Anything unexpected (no file yet, an older schema, no table) gives None, and
start-up opens the store first instead.
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

from terrain_desktop.domain.piece import Batch, Piece
from terrain_desktop.domain.table import LocalTable

_TABLE_COLUMNS = (
    "id, name, description, width, depth, is_public, status, sync_state, sync_error, share_code"
)


class TableSnapshot:
    """One table and its pieces as read at start-up: a `Recorder` that only reads."""

    def __init__(self, table: LocalTable, pieces: list[Piece]) -> None:
        self._table = table
        self._pieces = pieces

    @property
    def table_id(self) -> str:
        return self._table.id

    def table(self, table_id: str) -> LocalTable | None:
        return self._table if table_id == self._table.id else None

    def pieces(self, table_id: str) -> list[Piece]:
        return list(self._pieces) if table_id == self._table.id else []

    def record_pieces(self, table_id: str, batch: Batch) -> None:
        raise RuntimeError("the start-up snapshot is read-only: edits wait for the store")

    def update_table(self, table_id: str, **fields: Any) -> None:
        raise RuntimeError("the start-up snapshot is read-only: edits wait for the store")


def read_last_table(path: Path) -> TableSnapshot | None:
    """The table the editor would open (the last one used, else the first active one)."""
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            return _read(conn)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None


def _read(conn: sqlite3.Connection) -> TableSnapshot | None:
    meta = conn.execute("SELECT value FROM meta WHERE key = 'last_table'").fetchone()
    query = f"SELECT {_TABLE_COLUMNS} FROM tables WHERE status = 'active'"  # noqa: S608 (constant)
    row = None
    if meta is not None:
        row = conn.execute(f"{query} AND id = ?", (meta[0],)).fetchone()
    if row is None:
        row = conn.execute(f"{query} ORDER BY created_at, id LIMIT 1").fetchone()
    if row is None:
        return None
    table = LocalTable(
        id=row[0],
        name=row[1],
        description=row[2],
        width=row[3],
        depth=row[4],
        is_public=bool(row[5]),
        status=row[6],
        sync_state=row[7],
        sync_error=row[8],
        share_code=row[9],
    )
    placements = conn.execute(
        "SELECT data FROM placements WHERE table_id = ? ORDER BY id", (table.id,)
    )
    return TableSnapshot(table, [Piece.from_wire(json.loads(data)) for (data,) in placements])
