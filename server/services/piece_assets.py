"""Pieces may name only models their table's owner may see.

Otherwise a table (public ones are shown to anyone, and its library is filled from its pieces)
would carry another artist's private, unpublished or archived model to people who may not see
it. An id that names no model here is let through: a device places models imported on that
device only, which the server never hears of. Pieces already on a table are not checked again
(a model archived later stays where it was placed).
"""

import uuid
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from server.db.models import Asset
from server.errors import ApiError
from server.services import catalogue
from server.services.owners import Owner
from terrain_protocol.errors import ErrorCode, ErrorDetail
from terrain_protocol.tables import Placement


def hidden(db: Session, owner: Owner, model_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `model_ids` naming a model here that `owner` may not see (one query)."""
    if not model_ids:
        return set()
    found = db.scalars(
        select(Asset.id).where(Asset.id.in_(model_ids), not_(catalogue.visible_to(owner.user)))
    )
    return set(found)


def refusal(placement_id: str, model_id: uuid.UUID, path: str = "placement") -> ApiError:
    return ApiError(
        422,
        ErrorCode.ASSET_NOT_VISIBLE,
        f"Piece {placement_id} names model {model_id}, which is not available to you "
        "(another artist's private or unpublished model).",
        [ErrorDetail(path=path, message="model not available")],
    )


def check_new(
    db: Session,
    owner: Owner,
    placements: Iterable[Placement],
    before: dict[str, Any] | None = None,
) -> None:
    """422 `asset_not_visible` when a piece names a hidden model; a piece that names the model
    it already named in the layout `before` is not checked again."""
    placed = {p["id"]: p.get("modelId") for p in (before or {}).get("models", [])}
    fresh = [
        (index, p) for index, p in enumerate(placements) if placed.get(p.id) != str(p.model_id)
    ]
    refused = hidden(db, owner, {p.model_id for _, p in fresh})
    for index, piece in fresh:
        if piece.model_id in refused:
            raise refusal(piece.id, piece.model_id, f"body.layout.models.{index}.modelId")
