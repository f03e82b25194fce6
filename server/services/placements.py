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
    index = next((i for i, p in enumerate(models) if p["id"] == placement.id), None)
    if index is None:
        if len(models) >= table.max_assets:
            raise ApiError(
                422,
                ErrorCode.VALIDATION_ERROR,
                f"A table holds at most {table.max_assets} pieces.",
                [ErrorDetail(path="placement", message="table is full")],
            )
        models.append(data)
    else:
        models[index] = data
    _save(db, table, now)
    sync_versions.touch_placements(db, table, [placement.id])


def move(
    db: Session, table: GameTable, placement_id: str, changes: PlacementChanges, now: datetime
) -> None:
    _editable(table)
    models = _models(table)
    index = next((i for i, p in enumerate(models) if p["id"] == placement_id), None)
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
    index = next((i for i, p in enumerate(models) if p["id"] == placement_id), None)
    if index is None:
        return  # already gone
    del models[index]
    _save(db, table, now)
    sync_versions.tombstone_placements(db, table, [placement_id])
