"""Reading the original system: its database (read-only, in batches) and its upload directory."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

from server.settings import normalise_database_url

#: Each legacy table, the columns it is read in key order by, and what is read.
_QUERIES = {
    "users": ("id", "SELECT * FROM users"),
    "models": ("id", "SELECT * FROM models"),
    "favorites": ("user_id, model_id", "SELECT * FROM favorites"),
    "user_tables": ("id", "SELECT * FROM user_tables"),
    "example_tables": ("id", "SELECT * FROM example_tables"),
    "orders": ("id", "SELECT * FROM orders"),
    "stripe_transfers": ("id", "SELECT * FROM stripe_transfers"),
}

Row = dict[str, Any]

#: Levels of nesting a legacy JSON value may have; a layout needs a handful.
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class UnreadableJson:
    """Stands in for a legacy JSON value nested too deeply to handle: Python's parser (and
    every later dump, repr or validation) would overflow the stack and abort the whole run.
    The row it came from is reported by the phase that reads it; the run carries on."""

    reason: str


def _deeper_than(value: Any, limit: int) -> bool:
    pending = [(value, 1)]
    while pending:  # iterative: checking depth must not be what overflows
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            pending += [(child, depth + 1) for child in children]
    return False


def load_json(data: str | bytes) -> Any:
    """psycopg's JSON loader for the legacy database: a too-deep value becomes `UnreadableJson`
    instead of an exception that would end the import (a dry run too)."""
    try:
        value = json.loads(data)
    except RecursionError:
        return UnreadableJson("nested too deeply to read")
    if _deeper_than(value, MAX_JSON_DEPTH):
        return UnreadableJson(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def fingerprint(row: Row, *extra: object) -> str:
    """What a legacy row (plus anything else it was imported from) looked like."""
    document = json.dumps([row, *extra], default=str, sort_keys=True)
    return hashlib.sha256(document.encode()).hexdigest()


class LegacyDatabase:
    """The original system's database, only ever read, in key order so batches are stable."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(
            normalise_database_url(url), json_deserializer=load_json
        )

    def close(self) -> None:
        self.engine.dispose()

    def batches(self, table: str, size: int) -> Iterator[list[Row]]:
        """Every row of a legacy table, `size` at a time (keyset paging: no OFFSET scans)."""
        key, query = _QUERIES[table]
        columns = [column.strip() for column in key.split(",")]
        marks = ", ".join(f":k{i}" for i in range(len(columns)))
        after: dict[str, Any] | None = None
        while True:
            where = f" WHERE ({key}) > ({marks})" if after is not None else ""
            sql = f"{query}{where} ORDER BY {key} LIMIT {int(size)}"
            with self.engine.connect() as connection:
                rows = [dict(r._mapping) for r in connection.execute(text(sql), after or {})]
            if not rows:
                return
            yield rows
            after = {f"k{i}": rows[-1][column] for i, column in enumerate(columns)}

    def all(self, sql: str) -> list[Row]:
        with self.engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(text(sql))]


class UploadDirectory:
    """The original system's upload directory; paths in its rows are relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def resolve(self, relative: str | None) -> Path:
        """The file a legacy row names; ValueError with a reason when it cannot be used."""
        if not relative:
            raise ValueError("the legacy row names no file")
        path = (self.root / relative.lstrip("/")).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"the file {relative!r} lies outside the upload directory")
        if not path.is_file():
            raise ValueError(f"the file {relative!r} is missing")
        return path

    def stamp(self, relative: str | None) -> str:
        """Size and modification time, so a re-run notices a file that was replaced."""
        try:
            stat = self.resolve(relative).stat()
        except (ValueError, OSError):
            return "missing"
        return f"{stat.st_size}:{stat.st_mtime_ns}"
