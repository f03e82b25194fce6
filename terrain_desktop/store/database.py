"""Opening the local store: WAL mode, foreign-key checks, and schema upgrades."""

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from terrain_desktop.store import schema


class StoreTooNew(RuntimeError):
    """The store was written by a newer version of the app."""


def _pragmas(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _pragmas)
    upgrade(engine)
    return engine


def upgrade(engine: Engine) -> int:
    """Bring the store to `schema.SCHEMA_VERSION`; returns the version it was at."""
    with engine.begin() as connection:
        version = int(connection.execute(text("PRAGMA user_version")).scalar_one())
        if version > schema.SCHEMA_VERSION:
            raise StoreTooNew(
                f"This data was saved by a newer Terrain Builder (store version {version}); "
                "update the app to open it."
            )
        if version == 0:
            schema.metadata.create_all(connection)
        else:
            for target in range(version + 1, schema.SCHEMA_VERSION + 1):
                for statement in schema.UPGRADES[target]:
                    connection.execute(text(statement))
        connection.execute(text(f"PRAGMA user_version = {schema.SCHEMA_VERSION}"))
    return version
