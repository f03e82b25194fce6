"""Rows of this database a batch may touch, loaded with one query per batch, not one per row."""

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

T = TypeVar("T")


def by_id(db: Session, model: type[T], ids: list[Any]) -> dict[uuid.UUID, T]:
    """The rows of `model` with these ids that exist, by id."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    column = model.id  # type: ignore[attr-defined]
    return {row.id: row for row in db.scalars(select(model).where(column.in_(wanted)))}  # type: ignore[attr-defined]
