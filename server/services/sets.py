"""Curated sets of assets: made by artists and admins, added to a table's library in one step."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, SetAsset, User
from server.errors import ApiError
from server.services import catalogue
from terrain_protocol.catalogue import SetCreate, SetUpdate
from terrain_protocol.errors import ErrorCode, ErrorDetail


def not_found() -> ApiError:
    return ApiError(404, ErrorCode.SET_NOT_FOUND, "Set not found.")


def _can_see(asset_set: AssetSet, user: User | None) -> bool:
    return asset_set.is_public or (
        user is not None and (asset_set.curator_id == user.id or catalogue.is_admin(user))
    )


def visible(db: Session, user: User | None, set_id: uuid.UUID) -> AssetSet:
    asset_set = db.get(AssetSet, set_id)
    if asset_set is None or not _can_see(asset_set, user):
        raise not_found()
    return asset_set


def editable(db: Session, user: User, set_id: uuid.UUID) -> AssetSet:
    asset_set = visible(db, user, set_id)
    if asset_set.curator_id != user.id and not catalogue.is_admin(user):
        raise ApiError(403, ErrorCode.FORBIDDEN, "Only the set's curator may change it.")
    return asset_set


def _replace_members(db: Session, user: User, asset_set: AssetSet, ids: list[uuid.UUID]) -> None:
    ordered = list(dict.fromkeys(ids))  # drop repeats, keep the first position
    found = {a.id: a for a in db.scalars(select(Asset).where(Asset.id.in_(ordered)))}
    missing = [i for i in ordered if i not in found or not catalogue.can_see(found[i], user)]
    if missing:
        raise ApiError(
            422,
            ErrorCode.ASSET_NOT_FOUND,
            f"Unknown asset(s): {', '.join(str(i) for i in missing)}.",
            [ErrorDetail(path="body.asset_ids", message=f"unknown asset {i}") for i in missing],
        )
    db.execute(delete(SetAsset).where(SetAsset.set_id == asset_set.id))
    for position, asset_id in enumerate(ordered):
        db.add(SetAsset(set_id=asset_set.id, asset_id=asset_id, position=position))


def create(db: Session, user: User, request: SetCreate, now: datetime) -> AssetSet:
    asset_set = AssetSet(
        curator_id=user.id,
        name=request.name,
        description=request.description,
        is_public=request.is_public,
        created_at=now,
        updated_at=now,
    )
    db.add(asset_set)
    db.flush()
    _replace_members(db, user, asset_set, request.asset_ids)
    db.flush()
    return asset_set


def apply_update(
    db: Session, user: User, set_id: uuid.UUID, request: SetUpdate, now: datetime
) -> AssetSet:
    asset_set = editable(db, user, set_id)
    for field in ("name", "description", "is_public"):
        value = getattr(request, field)
        if value is not None:
            setattr(asset_set, field, value)
    if request.asset_ids is not None:
        _replace_members(db, user, asset_set, request.asset_ids)
    asset_set.updated_at = now
    db.flush()
    return asset_set


def remove(db: Session, user: User, set_id: uuid.UUID) -> None:
    db.delete(editable(db, user, set_id))
    db.flush()


def members(db: Session, user: User | None, asset_set: AssetSet) -> Sequence[Asset]:
    """The set's assets in order, those the viewer may see."""
    rows = db.scalars(
        select(Asset)
        .join(SetAsset, SetAsset.asset_id == Asset.id)
        .where(SetAsset.set_id == asset_set.id)
        .order_by(SetAsset.position)
    ).all()
    return [a for a in rows if catalogue.can_see(a, user)]


def listing(
    db: Session, user: User | None, limit: int, offset: int
) -> tuple[Sequence[tuple[AssetSet, int]], int]:
    visible_sets: ColumnElement[bool] = AssetSet.is_public.is_(True)
    if user is not None:
        visible_sets = or_(visible_sets, AssetSet.curator_id == user.id)
    total = db.scalar(select(func.count()).select_from(AssetSet).where(visible_sets)) or 0
    count = (  # only the members this viewer may see, like the set's own page
        select(func.count())
        .select_from(SetAsset)
        .join(Asset, Asset.id == SetAsset.asset_id)
        .where(SetAsset.set_id == AssetSet.id, catalogue.visible_to(user))
        .correlate(AssetSet)
        .scalar_subquery()
    )
    rows = (
        db.execute(
            select(AssetSet, count)
            .where(visible_sets)
            .order_by(AssetSet.updated_at.desc(), AssetSet.id)
            .limit(limit)
            .offset(offset)
        )
        .tuples()
        .all()
    )
    return rows, total
