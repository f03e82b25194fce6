"""Stamping changes with the owner's sync version, so pulls can ask "what changed since V".

Each transaction that changes an owner's tables takes that owner's next version once, by
incrementing its `sync_owners` row. The row stays locked until commit, so a later transaction
gets a higher version and commits later: versions follow commit order, and a reader that reads
the counter before the rows can never miss a change.

The version is taken as the last thing before commit (a `before_commit` hook), not when the
request first changes something: while the request works, what it changes is stamped with a
placeholder (a negative number, one per owner) and noted; the hook takes the real versions and
puts them in place of the placeholders, before the commit's flush writes them (a row written
twice in one transaction costs PostgreSQL a second copy of the table's JSON, and a foreign-key
check). So the owner's row is locked for a few round trips, not the whole request, and writes
of one owner to different tables no longer queue behind each other (under load, a request
holding the row waited for a thread and the GIL too).

No deadlock: the owner's row is the last lock a writer waits for. The rows its flush updates
are locked already (a table is changed only after `SELECT ... FOR UPDATE`, see
`tables.owned`), and the rows it inserts wait at most for key-share checks, which no writer
holding an owner's row blocks (owners are locked `FOR NO KEY UPDATE`, see `owners.lock`).
"""

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import ClauseElement, TextClause, bindparam, event, inspect, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.state import InstanceState

from server.db.models import GameTable, SyncOwner, SyncRejection, SyncTombstone, TableAsset

#: `db.info` keys: versions taken (by the hook, or `reserve`), and the placeholders' `_Stamps`.
_CACHE, _STAMPS = "sync_versions", "sync_stamps"
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
    """What this transaction stamps `key`'s changes with: its placeholder until commit (the
    real version then replaces it, see `_take_versions`), or the version `reserve` took."""
    taken: dict[str, int] | None = db.info.get(_CACHE)
    if taken is not None and key in taken:
        return taken[key]
    return _stamps(db).placeholder(key)


@dataclass
class _Stamps:
    """This transaction's placeholders, and what carries them until commit (held here, so
    the session cannot forget an object it has flushed before the hook restamps it)."""

    placeholders: dict[str, int] = field(default_factory=dict)
    objects: dict[int, GameTable | SyncTombstone | TableAsset] = field(default_factory=dict)
    inserts: list[tuple[type[SyncTombstone | SyncRejection], list[dict[str, Any]]]] = field(
        default_factory=list
    )

    def placeholder(self, key: str) -> int:
        found = self.placeholders.get(key)
        if found is None:
            found = self.placeholders[key] = -1 - len(self.placeholders)
        return found

    def note(self, stamped: GameTable | SyncTombstone | TableAsset) -> None:
        self.objects[id(stamped)] = stamped


def _stamps(db: Session) -> _Stamps:
    stamps: _Stamps | None = db.info.get(_STAMPS)
    if stamps is None:
        stamps = db.info[_STAMPS] = _Stamps()
    return stamps


def insert_stamped(
    db: Session, model: type[SyncTombstone | SyncRejection], rows: list[dict[str, Any]]
) -> None:
    """Insert `rows` (their `sync_version` from `current`) at commit, with the real version.

    Not inside a savepoint: one rolled back would not take these rows back with it.
    """
    assert not db.in_nested_transaction(), "stamped rows are inserted at the top level"
    _stamps(db).inserts.append((model, rows))


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


@event.listens_for(Session, "before_commit")
def _take_versions(session: Session) -> None:
    """Take the versions of the owners this transaction changed, last, and stamp with them.

    A savepoint's release is a commit too (for SQLAlchemy): the versions wait for the
    transaction's own commit.
    """
    stamps: _Stamps | None = session.info.get(_STAMPS)
    if stamps is None or session.in_nested_transaction():
        return
    keys = sorted(stamps.placeholders)  # a fixed order, so concurrent commits cannot deadlock
    if len(keys) == 1:
        params = {**_NEXT_VERSION_PARAMS, "owner_key": keys[0]}
        taken = {keys[0]: int(session.execute(_NEXT_VERSION, params).scalar_one())}
    else:  # several owners; or none (rows stamped only with versions `reserve` took)
        taken = _upsert(session, keys) if keys else {}
    real = {stamps.placeholders[key]: version for key, version in taken.items()}
    for stamped in stamps.objects.values():
        _restamp(stamped, real)
    for model, rows in stamps.inserts:
        stamped_rows = [
            {**r, "sync_version": real.get(r["sync_version"], r["sync_version"])} for r in rows
        ]
        session.execute(insert(model), stamped_rows)
    session.info.pop(_STAMPS)
    session.info.setdefault(_CACHE, {}).update(taken)


def _restamp(stamped: GameTable | SyncTombstone | TableAsset, real: dict[int, int]) -> None:
    state: InstanceState[Any] = inspect(stamped)
    if not state.persistent and not state.pending:
        return  # gone with a savepoint rolled back, or deleted
    if stamped.sync_version in real:
        written = not state.attrs.sync_version.history.has_changes()  # flushed already
        stamped.sync_version = real[stamped.sync_version]
        if written and "updated_at" in state.dict:
            # Written again only to restamp: the time the change was made stays (else the
            # column's `onupdate` would put the database's clock in its place).
            flag_modified(stamped, "updated_at")
    if not isinstance(stamped, GameTable):
        return
    versions = stamped.placement_versions or {}
    if any(v in real for v in versions.values()):
        stamped.placement_versions = {p: real.get(v, v) for p, v in versions.items()}
    authors = stamped.placement_authors or {}
    if any(a["since"] in real for a in authors.values()):  # a piece edited twice by now
        stamped.placement_authors = {
            p: {**a, "since": real.get(a["since"], a["since"])} for p, a in authors.items()
        }


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """Versions taken are the transaction's (a savepoint rolled back releases its locks)."""
    session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_stamps(session: Session, transaction: SessionTransaction) -> None:
    """Placeholders live as long as the transaction (a savepoint rolled back keeps them:
    what it stamped is gone, what was stamped before it is not)."""
    if transaction.parent is None:
        session.info.pop(_STAMPS, None)


def touch_table(db: Session, table: GameTable) -> int:
    version = current(db, table_owner_key(table))
    if table.sync_version != version:  # setting an ORM attribute is not free; pushes repeat it
        table.sync_version = version
        _note_placeholder(db, table)
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
        _add_stamped(
            db,
            SyncTombstone(
                owner_key=table_owner_key(table),
                sync_version=version,
                kind="placement",
                table_id=table.id,
                entity_id=placement_id,
            ),
        )
    table.placement_versions = versions
    table.placement_authors = authors
    flag_modified(table, "placement_versions")
    flag_modified(table, "placement_authors")


def tombstone_table(db: Session, old_key: str, table_id: uuid.UUID) -> None:
    """The table left this owner (it moved to an account)."""
    _add_stamped(
        db,
        SyncTombstone(
            owner_key=old_key,
            sync_version=current(db, old_key),
            kind="table",
            table_id=table_id,
            entity_id=str(table_id),
        ),
    )


def _add_stamped(db: Session, stone: SyncTombstone) -> None:
    db.add(stone)
    _note_placeholder(db, stone)


def _note_placeholder(db: Session, stamped: GameTable | SyncTombstone | TableAsset) -> None:
    """Have the commit restamp `stamped` if what it carries is a placeholder (not a version
    `reserve` took)."""
    if stamped.sync_version < 0:
        _stamps(db).note(stamped)


def touch_library_entry(db: Session, table: GameTable, entry: TableAsset) -> None:
    entry.owner_key = table_owner_key(table)
    entry.sync_version = current(db, entry.owner_key)
    _note_placeholder(db, entry)


def reserve(db: Session, keys: set[str]) -> None:
    """Take this transaction's version for many owners now, in one statement (bulk imports,
    which stamp so much that restamping at commit would cost more than the lock held)."""
    cache: dict[str, int] = db.info.setdefault(_CACHE, {})
    stamps: _Stamps | None = db.info.get(_STAMPS)
    pending = stamps.placeholders.keys() if stamps is not None else set()
    wanted = sorted(keys - cache.keys() - pending)  # their versions come at commit
    if wanted:
        cache.update(_upsert(db, wanted))


def _upsert(db: Session, keys: list[str]) -> dict[str, int]:
    """The next versions of `keys` (sorted: a fixed order, so concurrent callers cannot
    deadlock), their rows locked until commit."""
    rows = insert(SyncOwner).values([{"owner_key": key, "version": 1} for key in keys])
    upsert = rows.on_conflict_do_update(
        index_elements=[SyncOwner.owner_key], set_={"version": SyncOwner.version + 1}
    ).returning(SyncOwner.owner_key, SyncOwner.version)
    return {key: int(version) for key, version in db.execute(upsert)}
