"""A push's piece edits applied to plain dicts, and written back once per table.

A device that was offline pushes thousands of piece edits at once, mostly on a few tables.
Going through the ORM for each (bump the table's version, restamp its sync versions, flag
three JSON columns) cost more than everything else in the push, so a push keeps, per table
it edits, the layout's pieces, an id -> position map and the per-piece versions and authors
as plain Python values, and sets the table's columns once when the batch is done (or before
a mutation of another kind, which goes through the ORM, needs the table as it is).

Each edit is still checked on its own before it changes anything (the table is the caller's
and active, the table is not full, a moved piece is still valid), so a refused edit is
refused alone; the per-field merge of a move, "removal wins", and the sync versions and
authors the pull relies on are those of `sync_versions`. This module is the one home of
the piece rules: no other code adds, moves or removes a piece.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from server.db.models import GameTable, SyncTombstone
from server.errors import ApiError
from server.services import piece_assets, sync_versions, tables
from server.services.owners import Owner
from terrain_protocol import sync as protocol
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.tables import Placement

ARCHIVED = "This table is archived; restore it first."
PieceMutation = protocol.AddPlacement | protocol.MovePlacement | protocol.RemovePlacement


@dataclass
class _Pieces:
    """One table's pieces while a push edits them. Removed pieces leave a None behind (the
    list is compacted once, at the end), so positions stay valid without rebuilding."""

    table: GameTable
    models: list[dict[str, Any] | None]
    positions: dict[str, int]
    versions: dict[str, int]
    authors: dict[str, Any]
    edits: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.models) - len(self.removed)

    @classmethod
    def of(cls, table: GameTable) -> "_Pieces":
        models: list[dict[str, Any] | None] = list(table.layout.get("models", []))
        return cls(
            table=table,
            models=models,
            positions={p["id"]: i for i, p in enumerate(models) if p is not None},
            versions=dict(table.placement_versions or {}),
            authors=dict(table.placement_authors or {}),
        )


def named_models(
    mutations: Iterable[protocol.Mutation | protocol.InvalidMutation],
) -> set[uuid.UUID]:
    """The models that a push's piece additions and model swaps name."""
    named: set[uuid.UUID] = set()
    for mutation in mutations:
        if isinstance(mutation, protocol.AddPlacement):
            named.add(mutation.placement.model_id)
        elif isinstance(mutation, protocol.MovePlacement) and mutation.changes.model_id:
            named.add(mutation.changes.model_id)
    return named


class PieceBatch:
    """The piece edits of one push, per table; `write()` stores them."""

    def __init__(
        self,
        db: Session,
        owner: Owner,
        author: str,
        version: int,
        mutations: Iterable[protocol.Mutation | protocol.InvalidMutation] = (),
    ) -> None:
        self.db, self.owner, self.author, self.version = db, owner, author, version
        self._tables: dict[uuid.UUID, _Pieces] = {}
        #: Models the push's pieces name that the owner may not see: one query per push.
        self.hidden = piece_assets.hidden(db, owner, named_models(mutations))

    def apply(self, mutation: PieceMutation) -> None:
        """One edit, or ApiError (and nothing changed) when it is refused."""
        pieces = self._pieces(mutation.table_id)
        if pieces.table.status != "active":
            raise ApiError(409, ErrorCode.TABLE_ARCHIVED, ARCHIVED)
        match mutation:
            case protocol.AddPlacement():
                self._add(pieces, mutation.placement)
            case protocol.MovePlacement():
                self._move(pieces, mutation.placement_id, mutation.changes)
            case protocol.RemovePlacement():
                self._remove(pieces, mutation.placement_id)

    def _pieces(self, table_id: uuid.UUID) -> _Pieces:
        pieces = self._tables.get(table_id)
        if pieces is None:
            # Locked until commit; the owner's version is taken after every table's row.
            table = tables.owned(self.db, self.owner, table_id, lock=True)
            pieces = self._tables[table_id] = _Pieces.of(table)
        return pieces

    def _add(self, pieces: _Pieces, placement: Placement) -> None:
        data = placement.model_dump(mode="json", by_alias=True)
        index = pieces.positions.get(placement.id)
        if placement.model_id in self.hidden:
            current = pieces.models[index] if index is not None else None
            if current is None or current.get("modelId") != data["modelId"]:
                raise piece_assets.refusal(placement.id, placement.model_id)
        if index is None:
            if pieces.count >= pieces.table.max_assets:
                raise ApiError(
                    422,
                    ErrorCode.VALIDATION_ERROR,
                    f"A table holds at most {pieces.table.max_assets} pieces.",
                    [ErrorDetail(path="placement", message="table is full")],
                )
            pieces.positions[placement.id] = len(pieces.models)
            pieces.models.append(data)
        else:
            pieces.models[index] = data
        self._stamp(pieces, placement.id)

    def _move(self, pieces: _Pieces, placement_id: str, changes: protocol.PlacementChanges) -> None:
        index = pieces.positions.get(placement_id)
        if index is None:
            return  # removed meanwhile: the removal wins
        current = pieces.models[index]
        assert current is not None
        changed = changes.model_dump(mode="json", by_alias=True, exclude_none=True)
        if changes.model_id in self.hidden and current.get("modelId") != changed["modelId"]:
            raise piece_assets.refusal(placement_id, changes.model_id)
        updated = {**current, **changed}
        try:
            Placement.model_validate(updated)
        except ValidationError as invalid:
            raise ApiError(422, ErrorCode.VALIDATION_ERROR, f"Invalid move: {invalid}") from None
        pieces.models[index] = updated
        self._stamp(pieces, placement_id)

    def _remove(self, pieces: _Pieces, placement_id: str) -> None:
        index = pieces.positions.pop(placement_id, None)
        if index is None:
            return  # already gone
        pieces.models[index] = None
        pieces.versions.pop(placement_id, None)
        pieces.authors.pop(placement_id, None)
        pieces.removed.append(placement_id)
        pieces.edits += 1

    def _stamp(self, pieces: _Pieces, placement_id: str) -> None:
        """As `sync_versions.touch_pieces` does for an edit pushed by `author`."""
        previous = pieces.authors.get(placement_id)
        if previous is None or previous["client"] != self.author:
            since = pieces.versions.get(placement_id, 0)
            pieces.authors[placement_id] = {"client": self.author, "since": since}
        pieces.versions[placement_id] = self.version
        pieces.edits += 1

    def write(self, now: datetime, table_id: uuid.UUID | None = None) -> None:
        """Set the edited tables' columns once and bury removed pieces; then forget them.

        With `table_id`, only that table: a mutation of another kind changes (through the
        ORM) only the table it names, which must then be as the edits before it left it.
        """
        stones: list[dict[str, Any]] = []
        chosen = list(self._tables) if table_id is None else [table_id]
        for pieces in [p for p in map(self._tables.pop, chosen, [None] * len(chosen)) if p]:
            if not pieces.edits:
                continue
            table = pieces.table
            models = [p for p in pieces.models if p is not None]
            table.layout = {**table.layout, "models": models}
            table.placement_versions = pieces.versions
            table.placement_authors = pieces.authors
            for column in ("layout", "placement_versions", "placement_authors"):
                flag_modified(table, column)
            table.version += pieces.edits  # as one REST bump per edit did
            if table.updated_at != now:
                table.updated_at = now
            sync_versions.touch_table(self.db, table)
            key = sync_versions.table_owner_key(table)
            stones += [
                {
                    "owner_key": key,
                    "sync_version": self.version,
                    "kind": "placement",
                    "table_id": table.id,
                    "entity_id": placement_id,
                }
                for placement_id in pieces.removed
            ]
        if stones:
            sync_versions.insert_stamped(self.db, SyncTombstone, stones)
