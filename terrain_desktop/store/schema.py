"""The local SQLite cache: what the desktop shows, and the outbox of edits not yet synced.

The store has its own schema version (`PRAGMA user_version`) and upgrades itself on open; see
`UPGRADES`. It is not the server's schema: it keeps only what this device needs.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

tables = Table(
    "tables",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("width", Integer, nullable=False),
    Column("depth", Integer, nullable=False),
    Column("is_public", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False, default="active"),
    Column("plan", String(20), nullable=True),
    Column("max_assets", Integer, nullable=True),
    Column("share_code", String(16), nullable=True),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    #: 'local' (never acknowledged by the server), 'synced', or 'rejected' (refused; kept here).
    Column("sync_state", String(20), nullable=False, default="local"),
    Column("sync_error", Text, nullable=True),
)

placements = Table(
    "placements",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("id", String(64), primary_key=True),
    #: The placement as the protocol defines it (id, modelId, x, y, z, rotation, scale, ...).
    Column("data", JSON, nullable=False),
)

library = Table(
    "library",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("asset_id", String(36), primary_key=True),
    Column("added_at", String, nullable=False),
    Column("removed_at", String, nullable=True),
    Column("added_via_set_id", String(36), nullable=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("mutation_id", Integer, primary_key=True, autoincrement=True),
    Column("table_id", String(36), nullable=False),
    Column("kind", String(40), nullable=False),
    #: The mutation as `terrain_protocol.sync` defines it, without its id.
    Column("payload", JSON, nullable=False),
    Column("created_at", String, nullable=False),
    sqlite_autoincrement=True,  # ids never reused, even after acknowledged rows are deleted
)

local_assets = Table(
    "local_assets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(50), nullable=False),
    Column("size_x", Float, nullable=False),
    Column("size_y", Float, nullable=False),
    Column("size_z", Float, nullable=False),
    Column("triangles", Integer, nullable=False),
    Column("source_units", String(10), nullable=False),
    Column("mesh_path", Text, nullable=False),
    Column("thumbnail_path", Text, nullable=False),
    Column("created_at", String, nullable=False),
)

#: Changes the server refused, kept so none is dropped silently: the user sees each (with the
#: server's reason) and retries it, keeps it as a new table, or lets it go.
refusals = Table(
    "refusals",
    metadata,
    Column("mutation_id", Integer, primary_key=True),
    Column("table_id", String(36), nullable=False),
    Column("kind", String(40), nullable=False),
    #: The refused mutation as it was queued (as the outbox's payload).
    Column("payload", JSON, nullable=False),
    Column("code", String(40), nullable=False),
    Column("error", Text, nullable=False),
    Column("refused_at", String, nullable=False),
)

SCHEMA_VERSION = 3

#: SQL to run to go from version N-1 to N, by N. A new store is created from `metadata`.
UPGRADES: dict[int, list[str]] = {
    # 2: models the user imported for their own use.
    2: [
        "CREATE TABLE local_assets (id VARCHAR(36) PRIMARY KEY, name VARCHAR(200) NOT NULL, "
        "category VARCHAR(50) NOT NULL, size_x FLOAT NOT NULL, size_y FLOAT NOT NULL, "
        "size_z FLOAT NOT NULL, triangles INTEGER NOT NULL, source_units VARCHAR(10) NOT NULL, "
        "mesh_path TEXT NOT NULL, thumbnail_path TEXT NOT NULL, created_at VARCHAR NOT NULL)"
    ],
    # 3: changes the server refused, until the user deals with them.
    3: [
        "CREATE TABLE refusals (mutation_id INTEGER PRIMARY KEY, table_id VARCHAR(36) NOT NULL, "
        "kind VARCHAR(40) NOT NULL, payload JSON NOT NULL, code VARCHAR(40) NOT NULL, "
        "error TEXT NOT NULL, refused_at VARCHAR NOT NULL)"
    ],
}
