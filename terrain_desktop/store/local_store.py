"""The desktop's local store: tables, placements and libraries, edited offline.

Every edit changes the local state and appends its mutation to the outbox in one SQLite
transaction, so an edit is never shown without being queued for sync, nor queued without
being shown.
"""

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from sqlite3 import Connection
from typing import Any

from pydantic import TypeAdapter

from terrain_desktop.domain.piece import Batch, Piece
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store import apply, schema
from terrain_desktop.store.database import open_database, to_json
from terrain_protocol import sync as protocol
from terrain_protocol.plans import DEFAULT_TABLE_LIMITS, TablePlan
from terrain_protocol.tables import Placement

MUTATION = TypeAdapter[protocol.Mutation](protocol.Mutation)
#: `sync_state` of a table kept on this computer until its first edit (the untouched sample).
LOCAL_ONLY = "sample"


class TableLimitReached(Exception):
    """Creating one more table would pass the plan's limit (checked offline too)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class LocalStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_database(path)
        if self.get_meta("client_id") is None:
            self.set_meta("client_id", str(uuid.uuid4()))

    def close(self) -> None:
        self.db.close()

    # -- meta ----------------------------------------------------------------------------------

    @property
    def client_id(self) -> uuid.UUID:
        value = self.get_meta("client_id")
        assert value is not None
        return uuid.UUID(value)

    def get_meta(self, key: str) -> str | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            if value is not None:
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- reading -------------------------------------------------------------------------------

    def tables(self, include_archived: bool = False) -> list[LocalTable]:
        where = "" if include_archived else "WHERE status = 'active' "
        query = f"SELECT * FROM tables {where}ORDER BY created_at, id"  # noqa: S608 (constant)
        with self.db.read() as conn:
            return [_table(row) for row in conn.execute(query)]

    def table(self, table_id: str) -> LocalTable | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM tables WHERE id = ?", (table_id,)).fetchone()
        return None if row is None else _table(row)

    def placements(self, table_id: str) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return _placements(conn, table_id)

    def pieces(self, table_id: str) -> list[Piece]:
        return [Piece.from_wire(data) for data in self.placements(table_id)]

    def library(self, table_id: str) -> list[str]:
        """Asset ids in the table's library (not removed)."""
        with self.db.read() as conn:
            return sorted(str(asset_id) for asset_id in _library(conn, table_id))

    def local_assets(self) -> list[dict[str, Any]]:
        """Models imported on this device for the user's own use."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM local_assets ORDER BY created_at")
            return [dict(row) for row in rows]

    def add_local_asset(self, **values: Any) -> None:
        unknown = set(values) - set(schema.LOCAL_ASSET_COLUMNS)
        if unknown:
            raise ValueError(f"local_assets has no column {', '.join(sorted(unknown))}")
        values["created_at"] = now_iso()
        columns, marks = ", ".join(values), ", ".join("?" * len(values))
        with self.db.write() as conn:
            conn.execute(
                f"INSERT INTO local_assets ({columns}) VALUES ({marks})",  # noqa: S608 (checked)
                tuple(values.values()),
            )

    def pending(self, limit: int | None = None) -> list[protocol.Mutation]:
        query = "SELECT * FROM outbox ORDER BY mutation_id"
        with self.db.read() as conn:
            rows = conn.execute(f"{query} LIMIT ?", (limit,)) if limit else conn.execute(query)
            return [_mutation(row) for row in rows.fetchall()]

    def pending_count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    # -- editing -------------------------------------------------------------------------------

    @contextmanager
    def _edit(self) -> Iterator[Connection]:
        with self.db.write() as conn:
            yield conn

    def _record(self, conn: Connection, mutation: dict[str, Any]) -> protocol.Mutation:
        """Apply an edit locally and queue it, in the caller's transaction. The first edit of
        a table kept here only (the untouched sample) queues the table itself first."""
        if mutation["kind"] != "create_table":
            state = conn.execute(
                "SELECT sync_state FROM tables WHERE id = ?", (str(mutation["table_id"]),)
            ).fetchone()
            if state is not None and state[0] == LOCAL_ONLY:
                self._queue_whole(conn, mutation["table_id"])
        now = now_iso()
        payload = {k: v for k, v in mutation.items() if k not in ("kind", "table_id")}
        result = conn.execute(
            "INSERT INTO outbox (table_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
            (mutation["table_id"], mutation["kind"], to_json(payload), now),
        )
        mutation_id = result.lastrowid
        assert mutation_id is not None
        parsed = MUTATION.validate_python({**mutation, "mutation_id": mutation_id})
        apply.apply(conn, parsed, now)
        return parsed

    def edit(self, mutation: dict[str, Any]) -> protocol.Mutation:
        """Make one edit, described as a protocol mutation without its id."""
        with self._edit() as conn:
            return self._record(conn, mutation)

    def create_table(
        self,
        name: str = "Untitled table",
        width: int = 1200,
        depth: int = 900,
        description: str = "",
        placements: list[dict[str, Any]] | None = None,
        plan: TablePlan | None = None,
    ) -> str:
        """A new table, made offline. With `plan`, the plan's table limit is applied here too."""
        table_id = str(uuid.uuid4())
        with self._edit() as conn:
            if plan is not None:
                active = conn.execute(
                    "SELECT count(*) FROM tables "
                    "WHERE status = 'active' AND sync_state != 'rejected'"
                ).fetchone()[0]
                if active >= DEFAULT_TABLE_LIMITS[plan]:
                    raise TableLimitReached(
                        f"Your plan holds {DEFAULT_TABLE_LIMITS[plan]} active tables; "
                        "archive one to make another."
                    )
            self._record(
                conn,
                {
                    "kind": "create_table",
                    "table_id": table_id,
                    "name": name,
                    "description": description,
                    "width": width,
                    "depth": depth,
                    "placements": placements or [],
                },
            )
        return table_id

    def create_local_table(
        self,
        name: str,
        width: int,
        depth: int,
        placements: list[dict[str, Any]],
        library: list[str],
    ) -> str:
        """A table kept on this computer only until its first edit (the sample table): an
        untouched one never goes to the server, so a second computer signing in to the same
        account adds no second copy of it. Nothing is queued; the first edit queues it."""
        table_id = str(uuid.uuid4())
        now = now_iso()
        creation = {
            "kind": "create_table",
            "table_id": table_id,
            "name": name,
            "width": width,
            "depth": depth,
            "placements": placements,
            "mutation_id": 1,  # never queued: any valid id
        }
        with self._edit() as conn:
            apply.apply(conn, MUTATION.validate_python(creation), now)
            for asset_id in library:
                apply.apply(
                    conn,
                    MUTATION.validate_python(
                        {
                            "kind": "add_library_asset",
                            "table_id": table_id,
                            "asset_id": asset_id,
                            "mutation_id": 1,  # never queued: any valid id
                        }
                    ),
                    now,
                )
            conn.execute("UPDATE tables SET sync_state = ? WHERE id = ?", (LOCAL_ONLY, table_id))
        return table_id

    def update_table(self, table_id: str, **fields: Any) -> None:
        self.edit({"kind": "update_table", "table_id": table_id, "fields": fields})

    def archive_table(self, table_id: str) -> None:
        self.edit({"kind": "archive_table", "table_id": table_id})

    def restore_table(self, table_id: str) -> None:
        self.edit({"kind": "restore_table", "table_id": table_id})

    def add_placement(self, table_id: str, model_id: str, **fields: Any) -> str:
        placement_id = fields.pop("id", None) or uuid.uuid4().hex[:16]
        placement = Placement.model_validate({"id": placement_id, "modelId": model_id, **fields})
        self.edit(
            {
                "kind": "add_placement",
                "table_id": table_id,
                "placement": placement.model_dump(mode="json", by_alias=True),
            }
        )
        return str(placement_id)

    def move_placement(self, table_id: str, placement_id: str, **changes: Any) -> None:
        self.edit(
            {
                "kind": "move_placement",
                "table_id": table_id,
                "placement_id": placement_id,
                "changes": changes,
            }
        )

    def record_pieces(self, table_id: str, batch: Batch) -> None:
        """A batch of piece edits in one transaction (the domain's `Recorder`): one outbox
        mutation per piece, holding only the fields that changed."""
        with self._edit() as conn:
            for piece in batch.added:
                self._record(
                    conn,
                    {"kind": "add_placement", "table_id": table_id, "placement": piece.to_wire()},
                )
            for piece_id, changes in batch.changed.items():
                self._record(
                    conn,
                    {
                        "kind": "move_placement",
                        "table_id": table_id,
                        "placement_id": piece_id,
                        "changes": dict(changes),
                    },
                )
            for piece_id in batch.removed:
                self._record(
                    conn,
                    {"kind": "remove_placement", "table_id": table_id, "placement_id": piece_id},
                )

    def remove_placement(self, table_id: str, placement_id: str) -> None:
        self.edit({"kind": "remove_placement", "table_id": table_id, "placement_id": placement_id})

    def add_library_asset(self, table_id: str, asset_id: str) -> None:
        self.edit({"kind": "add_library_asset", "table_id": table_id, "asset_id": asset_id})

    def remove_library_asset(self, table_id: str, asset_id: str) -> None:
        self.edit({"kind": "remove_library_asset", "table_id": table_id, "asset_id": asset_id})

    def restore_library_asset(self, table_id: str, asset_id: str) -> None:
        self.edit({"kind": "restore_library_asset", "table_id": table_id, "asset_id": asset_id})

    def record_usage(self, table_id: str, asset_ids: list[str]) -> None:
        """Assets just used on a table, queued for the server's recent list (one transaction)."""
        with self._edit() as conn:
            for asset_id in asset_ids:
                self._record(
                    conn, {"kind": "record_asset_usage", "table_id": table_id, "asset_id": asset_id}
                )

    def add_library_set(self, table_id: str, set_id: str) -> None:
        self.edit({"kind": "add_library_set", "table_id": table_id, "set_id": set_id})

    def remove_library_set(self, table_id: str, set_id: str) -> None:
        self.edit({"kind": "remove_library_set", "table_id": table_id, "set_id": set_id})

    def retry_table(self, table_id: str) -> None:
        """Send a table the server refused again, as it is now (e.g. after freeing a slot)."""
        table = self.table(table_id)
        if table is not None and table.sync_state == "rejected":
            self._resend(table)

    def refusals(self) -> list[dict[str, Any]]:
        """Changes the server refused and the user has not dealt with yet, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM refusals ORDER BY mutation_id")
            return [{**row, "payload": json.loads(row["payload"])} for row in rows]

    def requeue_refusal(self, mutation_id: int) -> None:
        """Make a refused change again (shown here, queued for the next sync), and forget
        the refusal, in one transaction."""
        with self._edit() as conn:
            row = conn.execute(
                "SELECT * FROM refusals WHERE mutation_id = ?", (mutation_id,)
            ).fetchone()
            if row is None:
                return
            conn.execute("DELETE FROM refusals WHERE mutation_id = ?", (mutation_id,))
            payload = json.loads(row["payload"])
            self._record(conn, {**payload, "kind": row["kind"], "table_id": row["table_id"]})

    def forget_refusals(self, mutation_ids: list[int]) -> None:
        """The user let these refused changes go (they stay unmade)."""
        with self.db.write() as conn:
            conn.executemany(
                "DELETE FROM refusals WHERE mutation_id = ?", [(m,) for m in mutation_ids]
            )

    def send_table(self, table_id: str) -> None:
        """Queue a table kept here only (the untouched sample), e.g. to share it: it goes
        to the server with the next sync. Any other table is left as it is."""
        table = self.table(table_id)
        if table is not None and table.sync_state == LOCAL_ONLY:
            self._resend(table)

    def requeue_all(self) -> None:
        """Queue every table again as new, e.g. when the server no longer knows this device
        (an untouched sample stays here: it never went)."""
        for table in self.tables(include_archived=True):
            if table.sync_state != LOCAL_ONLY:
                self._resend(table)

    def _resend(self, table: LocalTable) -> None:
        with self._edit() as conn:
            self._queue_whole(conn, table.id)

    def _queue_whole(self, conn: Connection, table_id: str) -> None:
        """Queue a table as it is here, as new: its creation with its pieces, its library,
        and its archiving if archived (in the caller's transaction)."""
        table = conn.execute("SELECT * FROM tables WHERE id = ?", (table_id,)).fetchone()
        if table is None:
            raise LookupError(f"no table {table_id} in the store")
        pieces = _placements(conn, table_id)
        assets = _library(conn, table_id)
        conn.execute(
            "UPDATE tables SET sync_state = 'local', sync_error = NULL WHERE id = ?", (table_id,)
        )
        self._record(
            conn,
            {
                "kind": "create_table",
                "table_id": table_id,
                "name": table["name"],
                "description": table["description"],
                "width": table["width"],
                "depth": table["depth"],
                "is_public": bool(table["is_public"]),
                "placements": pieces,
            },
        )
        for asset_id in assets:
            self._record(
                conn, {"kind": "add_library_asset", "table_id": table_id, "asset_id": asset_id}
            )
        if table["status"] == "archived":
            self._record(conn, {"kind": "archive_table", "table_id": table_id})


def _placements(conn: Connection, table_id: str) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT data FROM placements WHERE table_id = ? ORDER BY id", (table_id,))
    return [dict(json.loads(data)) for (data,) in rows]


def _library(conn: Connection, table_id: str) -> list[str]:
    """The table's library (not removed), by asset id."""
    rows = conn.execute(
        "SELECT asset_id FROM library WHERE table_id = ? AND removed_at IS NULL ORDER BY asset_id",
        (table_id,),
    )
    return [asset_id for (asset_id,) in rows]


def _table(row: sqlite3.Row) -> LocalTable:
    return LocalTable(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        width=row["width"],
        depth=row["depth"],
        is_public=bool(row["is_public"]),
        status=row["status"],
        sync_state=row["sync_state"],
        sync_error=row["sync_error"],
        share_code=row["share_code"],
        max_assets=row["max_assets"],
    )


def _raw(row: sqlite3.Row) -> dict[str, Any]:
    """An outbox row as the protocol's mutation, unchecked."""
    return {
        **json.loads(row["payload"]),
        "kind": row["kind"],
        "table_id": row["table_id"],
        "mutation_id": row["mutation_id"],
    }


def _mutation(row: sqlite3.Row) -> protocol.Mutation:
    return MUTATION.validate_python(_raw(row))
