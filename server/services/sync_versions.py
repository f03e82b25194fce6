"""Stamping changes with the owner's sync version, so pulls can ask "what changed since V".

Each transaction that changes an owner's tables takes that owner's next version once, by
incrementing its `sync_owners` row. The row stays locked until commit, so a later transaction
gets a higher version and commits later: versions follow commit order, and a reader that reads
the counter before the rows can never miss a change.
"""

import uuid
from functools import lru_cache
from typing import Any

from sqlalchemy import ClauseElement, TextClause, bindparam, event, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from server.db.models import GameTable, SyncOwner, SyncTombstone, TableAsset

_CACHE = "sync_versions"
#: `db.info` key naming the device whose push is being applied (None: any other edit).
AUTHOR = "sync_author"


@lru_cache(maxsize=4096)  # a push stamps thousands of pieces: format each owner's key once
def owner_key_for(user_id: uuid.UUID | None, session_id: uuid.UUID | None) -> str:
    if user_id is not None:
        return f"user:{user_id}"
    assert session_id is not None, "a table is owned by an account or a session"
    return f"session:{session_id}"


def table_owner_key(table: GameTable) -> str:
    return owner_key_for(table.user_id, table.session_id)


def current(db: Session, key: str) -> int:
    """This transaction's version for `key`, taken (and the owner locked) on first use."""
    cache: dict[str, int] = db.info.setdefault(_CACHE, {})
    if key not in cache:
        found = db.execute(_NEXT_VERSION, {**_NEXT_VERSION_PARAMS, "owner_key": key})
        cache[key] = int(found.scalar_one())
    return cache[key]


def _compiled_once(statement: ClauseElement) -> tuple[TextClause, dict[str, Any]]:
    """`statement` as SQL text (with its parameters' fixed values), compiled once.

    SQLAlchemy 2.0 gives PostgreSQL's `ON CONFLICT` construct no cache key, so it would be
    built and compiled again on every execution: 0.5-0.7 ms of CPU, and every write takes
    a version. Text is cached by SQLAlchemy and prepared by psycopg like any statement.
    """
    dialect = PGDialect(paramstyle="named")  # type: ignore[no-untyped-call] # SQLAlchemy's
    compiled = statement.compile(dialect=dialect)
    return text(str(compiled)), dict(compiled.params)


#: The owner's next version: `owner_key` bound per call.
_NEXT_VERSION, _NEXT_VERSION_PARAMS = _compiled_once(
    insert(SyncOwner)
    .values(owner_key=bindparam("owner_key"), version=1)
    .on_conflict_do_update(
        index_elements=[SyncOwner.owner_key], set_={"version": SyncOwner.version + 1}
    )
    .returning(SyncOwner.version)
)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_CACHE, None)


def touch_table(db: Session, table: GameTable) -> int:
    version = current(db, table_owner_key(table))
    if table.sync_version != version:  # setting an ORM attribute is not free; pushes repeat it
        table.sync_version = version
    return version


def touch_pieces(db: Session, table: GameTable, placement_ids: list[str]) -> None:
    version = touch_table(db, table)
    if table.placement_versions is None:
        table.placement_versions = {}
    _note_authors(table, placement_ids, db.info.get(AUTHOR))
    table.placement_versions.update(dict.fromkeys(placement_ids, version))
    flag_modified(table, "placement_versions")


def _note_authors(table: GameTable, placement_ids: list[str], author: str | None) -> None:
    """Keep, per placement, the device behind its latest run of changes and the version of
    the change before that run (by anyone else)."""
    authors = table.placement_authors if table.placement_authors is not None else {}
    versions = table.placement_versions
    for placement_id in placement_ids:
        previous = authors.get(placement_id)
        if author is None:
            authors.pop(placement_id, None)
        elif previous is None or previous["client"] != author:
            authors[placement_id] = {"client": author, "since": versions.get(placement_id, 0)}
    table.placement_authors = authors
    flag_modified(table, "placement_authors")


def tombstone_pieces(db: Session, table: GameTable, placement_ids: list[str]) -> None:
    if not placement_ids:
        return
    version = touch_table(db, table)
    versions = table.placement_versions or {}
    authors = table.placement_authors or {}
    for placement_id in placement_ids:
        versions.pop(placement_id, None)
        authors.pop(placement_id, None)
        db.add(
            SyncTombstone(
                owner_key=table_owner_key(table),
                sync_version=version,
                kind="placement",
                table_id=table.id,
                entity_id=placement_id,
            )
        )
    table.placement_versions = versions
    table.placement_authors = authors
    flag_modified(table, "placement_versions")
    flag_modified(table, "placement_authors")


def tombstone_table(db: Session, old_key: str, table_id: uuid.UUID) -> None:
    """The table left this owner (it moved to an account)."""
    db.add(
        SyncTombstone(
            owner_key=old_key,
            sync_version=current(db, old_key),
            kind="table",
            table_id=table_id,
            entity_id=str(table_id),
        )
    )


def touch_library_entry(db: Session, table: GameTable, entry: TableAsset) -> None:
    entry.owner_key = table_owner_key(table)
    entry.sync_version = current(db, entry.owner_key)


def reserve(db: Session, keys: set[str]) -> None:
    """Take this transaction's version for many owners in one statement (bulk imports)."""
    cache: dict[str, int] = db.info.setdefault(_CACHE, {})
    wanted = sorted(keys - cache.keys())  # a fixed order, so concurrent callers cannot deadlock
    if not wanted:
        return
    rows = insert(SyncOwner).values([{"owner_key": key, "version": 1} for key in wanted])
    upsert = rows.on_conflict_do_update(
        index_elements=[SyncOwner.owner_key], set_={"version": SyncOwner.version + 1}
    ).returning(SyncOwner.owner_key, SyncOwner.version)
    for key, version in db.execute(upsert):
        cache[key] = int(version)
