"""Legacy layouts checked against `terrain_protocol`: what can be placed is kept, the rest reported.

The original builder saved `{"models": [{"id", "modelId", "x", "y", "z", "rotation", "scale"}]}`
without validation. Here every piece must be a valid `Placement` naming a known asset; a piece
that is not is left out of the imported table and listed in the report (the legacy row keeps it).
"""

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset
from server.legacy.report import Report
from server.legacy.source import UnreadableJson
from terrain_protocol.tables import Layout, Placement


def named_models(layout: Any) -> set[uuid.UUID]:
    """The model ids a legacy layout's pieces name (those that are ids at all)."""
    named: set[uuid.UUID] = set()
    for piece in _pieces(layout):
        try:
            named.add(uuid.UUID(str(piece.get("modelId"))))
        except (ValueError, AttributeError):
            continue
    return named


def known_assets(db: Session, layouts: list[Any]) -> set[uuid.UUID]:
    """Which of the model ids named by a batch of layouts exist here (one query per batch)."""
    named = set().union(*(named_models(layout) for layout in layouts))
    if not named:
        return set()
    return set(db.scalars(select(Asset.id).where(Asset.id.in_(named))))


def _pieces(layout: Any) -> list[Any]:
    if isinstance(layout, dict) and isinstance(layout.get("models"), list):
        return list(layout["models"])
    return []


def clean(layout: Any, known: set[uuid.UUID], report: Report, kind: str, legacy_id: str) -> Layout:
    if isinstance(layout, UnreadableJson):
        report.note(
            kind, legacy_id, "invalid_layout", f"the layout is {layout.reason}; imported empty"
        )
        return Layout()
    if not (isinstance(layout, dict) and isinstance(layout.get("models", []), list)):
        report.note(kind, legacy_id, "invalid_layout", "the layout is not {'models': [...]}")
        return Layout()
    kept: list[Placement] = []
    seen: set[str] = set()
    for index, piece in enumerate(_pieces(layout)):
        if not isinstance(piece, dict):
            report.note(kind, legacy_id, "invalid_piece", f"piece {index} is not an object")
            continue
        piece = dict(piece)
        piece_id = str(piece.get("id") or f"legacy-{index}")
        if piece_id in seen:
            piece_id = f"{piece_id}-{index}"
        piece["id"] = piece_id
        seen.add(piece_id)
        try:
            placement = Placement.model_validate(piece)
        except ValidationError as invalid:
            problems = _problems(invalid)
            report.note(kind, legacy_id, "invalid_piece", f"piece {piece_id} left out: {problems}")
            continue
        if placement.model_id not in known:
            report.note(
                kind,
                legacy_id,
                "unknown_model",
                f"piece {piece_id} names model {placement.model_id}, which does not exist; "
                "left out",
            )
            continue
        kept.append(placement)
    pieces = [p.model_dump(by_alias=True) for p in kept]
    extra = {k: v for k, v in layout.items() if k != "models"}
    try:
        return Layout.model_validate({**extra, "models": pieces})
    except ValidationError as invalid:
        report.note(
            kind,
            legacy_id,
            "invalid_layout",
            f"keys beside 'models' left out: {_problems(invalid)}",
        )
        return Layout.model_validate({"models": pieces})


def _problems(invalid: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in invalid.errors())
