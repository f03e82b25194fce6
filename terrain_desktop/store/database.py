"""Opening the local store with the standard library's `sqlite3`: WAL mode, foreign-key
checks, schema upgrades, and a small pool of connections shared by the app's threads.

Plain SQL rather than SQLAlchemy: the store is seven tables on one SQLite file, and importing
SQLAlchemy Core was a quarter of a second of the desktop's start-up, between its first frame
and a usable window (benchmarks/RESULTS.md). The file is the one SQLAlchemy wrote, unchanged:
the same tables (`schema.CREATE`), JSON columns as `json.dumps` text, booleans as 0 and 1,
and the same version number and upgrades, so a store made by an earlier app opens as it was.
"""

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from terrain_desktop.store import schema


class StoreTooNew(RuntimeError):
    """The store was written by a newer version of the app."""


def to_json(value: Any) -> str:
    """A JSON column's text, as SQLAlchemy's JSON type wrote it (`json.dumps`, defaults)."""
    return json.dumps(value)


class Database:
    """Connections to one store file, each used by one thread at a time.

    `read` runs statements without a transaction of its own (each is atomic); `write` holds
    one transaction, begun IMMEDIATE so that two writers queue on SQLite's lock (for up to
    `busy_timeout`) instead of one failing when it first writes after reading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun here, never implicitly by the driver
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=5000")
        return connection

    @contextmanager
    def _checkout(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._connect()
        try:
            yield connection
        finally:
            if connection.in_transaction:
                connection.rollback()
            with self._lock:
                self._idle.append(connection)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._checkout() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._checkout() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def open_database(path: Path) -> Database:
    path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(path)
    upgrade(database)
    return database


def upgrade(database: Database) -> int:
    """Bring the store to `schema.SCHEMA_VERSION`; returns the version it was at."""
    with database.write() as connection:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > schema.SCHEMA_VERSION:
            raise StoreTooNew(
                f"This data was saved by a newer Terrain Builder (store version {version}); "
                "update the app to open it."
            )
        if version == 0:  # a new file (tables already there are kept, as SQLAlchemy did)
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            there = {name for (name,) in rows}
            statements = [sql for name, sql in schema.CREATE.items() if name not in there]
        else:
            targets = range(version + 1, schema.SCHEMA_VERSION + 1)
            statements = [statement for target in targets for statement in schema.UPGRADES[target]]
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    return version
