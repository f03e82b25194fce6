"""The local SQLite cache: what the desktop shows, and the outbox of edits not yet synced.

The store has its own schema version (`PRAGMA user_version`) and upgrades itself on open; see
`UPGRADES`. It is not the server's schema: it keeps only what this device needs.

`CREATE` is the SQL a new store is made with, word for word what SQLAlchemy emitted when the
store was defined with it (SQLite keeps that text in `sqlite_master`), so stores made before
and after read the same. Columns typed JSON hold `json.dumps` text; BOOLEAN ones 0 or 1.
"""


def _create(name: str, *columns: str) -> str:
    """SQLAlchemy's layout: one column a line, a tab before, a space after each comma."""
    return f"CREATE TABLE {name} (\n\t" + ", \n\t".join(columns) + "\n)"


#: tables: `sync_state` is 'local' (never acknowledged by the server), 'synced', 'rejected'
#: (refused; kept here) or 'sample' (`local_store.LOCAL_ONLY`). placements: `data` is the
#: placement as the protocol defines it (id, modelId, x, y, z, rotation, scale, ...). outbox:
#: `payload` is the mutation as `terrain_protocol.sync` defines it, without its id, kind and
#: table; AUTOINCREMENT so ids are never reused, even after acknowledged rows are deleted.
#: refusals: changes the server refused, kept so none is dropped silently (the user sees each
#: with the server's reason, and retries it, keeps it as a new table, or lets it go).
CREATE: dict[str, str] = {
    "meta": _create(
        "meta",
        '"key" VARCHAR NOT NULL',
        "value TEXT NOT NULL",
        'PRIMARY KEY ("key")',
    ),
    "tables": _create(
        "tables",
        "id VARCHAR(36) NOT NULL",
        "name VARCHAR(200) NOT NULL",
        "description TEXT NOT NULL",
        "width INTEGER NOT NULL",
        "depth INTEGER NOT NULL",
        "is_public BOOLEAN NOT NULL",
        "status VARCHAR(20) NOT NULL",
        '"plan" VARCHAR(20)',
        "max_assets INTEGER",
        "share_code VARCHAR(16)",
        "created_at VARCHAR NOT NULL",
        "updated_at VARCHAR NOT NULL",
        "sync_state VARCHAR(20) NOT NULL",
        "sync_error TEXT",
        "PRIMARY KEY (id)",
    ),
    "placements": _create(
        "placements",
        "table_id VARCHAR(36) NOT NULL",
        "id VARCHAR(64) NOT NULL",
        "data JSON NOT NULL",
        "PRIMARY KEY (table_id, id)",
    ),
    "library": _create(
        "library",
        "table_id VARCHAR(36) NOT NULL",
        "asset_id VARCHAR(36) NOT NULL",
        "added_at VARCHAR NOT NULL",
        "removed_at VARCHAR",
        "added_via_set_id VARCHAR(36)",
        "PRIMARY KEY (table_id, asset_id)",
    ),
    "outbox": _create(
        "outbox",
        "mutation_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
        "table_id VARCHAR(36) NOT NULL",
        "kind VARCHAR(40) NOT NULL",
        "payload JSON NOT NULL",
        "created_at VARCHAR NOT NULL",
    ),
    "local_assets": _create(
        "local_assets",
        "id VARCHAR(36) NOT NULL",
        "name VARCHAR(200) NOT NULL",
        "category VARCHAR(50) NOT NULL",
        "size_x FLOAT NOT NULL",
        "size_y FLOAT NOT NULL",
        "size_z FLOAT NOT NULL",
        "triangles INTEGER NOT NULL",
        "source_units VARCHAR(10) NOT NULL",
        "mesh_path TEXT NOT NULL",
        "thumbnail_path TEXT NOT NULL",
        "created_at VARCHAR NOT NULL",
        "PRIMARY KEY (id)",
    ),
    "refusals": _create(
        "refusals",
        "mutation_id INTEGER NOT NULL",
        "table_id VARCHAR(36) NOT NULL",
        "kind VARCHAR(40) NOT NULL",
        "payload JSON NOT NULL",
        "code VARCHAR(40) NOT NULL",
        "error TEXT NOT NULL",
        "refused_at VARCHAR NOT NULL",
        "PRIMARY KEY (mutation_id)",
    ),
}

#: The columns of `local_assets` a caller may set (`LocalStore.add_local_asset`).
LOCAL_ASSET_COLUMNS = (
    "id",
    "name",
    "category",
    "size_x",
    "size_y",
    "size_z",
    "triangles",
    "source_units",
    "mesh_path",
    "thumbnail_path",
)

SCHEMA_VERSION = 3

#: SQL to run to go from version N-1 to N, by N. A new store is created from `CREATE`.
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
