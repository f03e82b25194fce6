"""Placement-level edits to a table's layout: what sync mutations do to one piece at a time.

A move names only the fields that changed, so two devices moving and rotating the same piece
both win; a move of a piece already removed does nothing (removal wins).
"""

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from server.db.models import GameTable
from server.errors import ApiError
from server.services import sync_versions, tables
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.sync import PlacementChanges
from terrain_protocol.tables import Placement


def _models(table: GameTable) -> list[dict[str, Any]]:
    """The layout's pieces, edited in place (a push may edit thousands: no copies)."""
    models: list[dict[str, Any]] = table.layout.setdefault("models", [])
    return models


#: `db.info` key of the session's id -> position map of the layout it last edited.
_POSITIONS = "placement_positions"


def _index(db: Session, models: list[dict[str, Any]], placement_id: str) -> int | None:
    """Where the piece is in the layout. A push edits thousands of pieces of one table, so an
    id -> position map is kept (for the session) beside the list it describes, rebuilt when
    that list was replaced or changed length behind its back; a hit is checked on the list."""
    cached = db.info.get(_POSITIONS)
    if cached is None or cached[0] is not models or cached[1] != len(models):
        cached = (models, len(models), {p["id"]: i for i, p in enumerate(models)})
        db.info[_POSITIONS] = cached
    index: int | None = cached[2].get(placement_id)
    if index is not None and (index >= len(models) or models[index]["id"] != placement_id):
        db.info.pop(_POSITIONS, None)
        return next((i for i, p in enumerate(models) if p["id"] == placement_id), None)
    return index


def _appended(db: Session, models: list[dict[str, Any]]) -> None:
    cached = db.info.get(_POSITIONS)
    if cached is not None and cached[0] is models and cached[1] == len(models) - 1:
        cached[2][models[-1]["id"]] = len(models) - 1
        db.info[_POSITIONS] = (models, len(models), cached[2])


def _save(db: Session, table: GameTable, now: datetime) -> None:
    flag_modified(table, "layout")
    tables.bump(db, table, now)


def _editable(table: GameTable) -> None:
    if table.status != "active":
        raise ApiError(409, ErrorCode.TABLE_ARCHIVED, "This table is archived; restore it first.")


def add(db: Session, table: GameTable, placement: Placement, now: datetime) -> None:
    _editable(table)
    models = _models(table)
    data = placement.model_dump(mode="json", by_alias=True)
    index = _index(db, models, placement.id)
    if index is None:
        if len(models) >= table.max_assets:
            raise ApiError(
                422,
                ErrorCode.VALIDATION_ERROR,
                f"A table holds at most {table.max_assets} pieces.",
                [ErrorDetail(path="placement", message="table is full")],
            )
        models.append(data)
        _appended(db, models)
    else:
        models[index] = data
    _save(db, table, now)
    sync_versions.touch_placements(db, table, [placement.id])


def move(
    db: Session, table: GameTable, placement_id: str, changes: PlacementChanges, now: datetime
) -> None:
    _editable(table)
    models = _models(table)
    index = _index(db, models, placement_id)
    if index is None:
        return  # removed meanwhile: the removal wins
    updated = {**models[index], **changes.model_dump(mode="json", by_alias=True, exclude_none=True)}
    try:
        Placement.model_validate(updated)
    except ValidationError as invalid:
        raise ApiError(422, ErrorCode.VALIDATION_ERROR, f"Invalid move: {invalid}") from None
    models[index] = updated
    _save(db, table, now)
    sync_versions.touch_placements(db, table, [placement_id])


def remove(db: Session, table: GameTable, placement_id: str, now: datetime) -> None:
    _editable(table)
    models = _models(table)
    index = _index(db, models, placement_id)
    if index is None:
        return  # already gone
    del models[index]
    _save(db, table, now)
    sync_versions.tombstone_placements(db, table, [placement_id])
