"""Artist profiles: users with role `artist` (there is no separate artists table)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Asset, GameTable, Order, OrderItem, User
from server.errors import ApiError
from server.services import catalogue
from terrain_protocol.catalogue import BecomeArtistRequest
from terrain_protocol.errors import ErrorCode
from terrain_protocol.plans import Role

PUBLIC_TABLES_SHOWN = 10
#: Orders whose lines count as sales: paid, and not (wholly) refunded or cancelled.
SOLD_STATUSES = ("paid", "fulfilled")


def get(db: Session, artist_id: uuid.UUID) -> User:
    artist = db.get(User, artist_id)
    if artist is None or artist.role != Role.ARTIST:
        raise ApiError(404, ErrorCode.ARTIST_NOT_FOUND, "Artist not found.")
    return artist


def counts(db: Session, artist_id: uuid.UUID) -> tuple[int, int]:
    models = db.scalar(select(func.count()).where(Asset.artist_id == artist_id, catalogue.listed()))
    tables = db.scalar(
        select(func.count())
        .select_from(GameTable)
        .where(
            GameTable.user_id == artist_id,
            GameTable.is_public.is_(True),
            GameTable.status == "active",
        )
    )
    return models or 0, tables or 0


def published_models(db: Session, artist_id: uuid.UUID) -> Sequence[Asset]:
    return db.scalars(
        select(Asset)
        .where(Asset.artist_id == artist_id, catalogue.listed())
        .order_by(Asset.published_at.desc().nulls_last(), Asset.created_at.desc())
    ).all()


def own_models(db: Session, artist_id: uuid.UUID) -> list[tuple[Asset, int]]:
    """Every model of the artist but the archived ones, newest first, each with the copies
    sold on paid orders (one grouped subquery, so the list costs one statement)."""
    sold = (
        select(OrderItem.asset_id, func.sum(OrderItem.quantity).label("copies"))
        .join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.artist_id == artist_id, Order.status.in_(SOLD_STATUSES))
        .group_by(OrderItem.asset_id)
        .subquery()
    )
    rows = db.execute(
        select(Asset, func.coalesce(sold.c.copies, 0))
        .outerjoin(sold, sold.c.asset_id == Asset.id)
        .where(Asset.artist_id == artist_id, Asset.status != "archived")
        .order_by(Asset.created_at.desc(), Asset.id)
    ).all()
    return [(asset, int(copies)) for asset, copies in rows]


def public_tables(db: Session, artist_id: uuid.UUID) -> Sequence[GameTable]:
    return db.scalars(
        select(GameTable)
        .where(
            GameTable.user_id == artist_id,
            GameTable.is_public.is_(True),
            GameTable.status == "active",
        )
        .order_by(GameTable.created_at.desc())
        .limit(PUBLIC_TABLES_SHOWN)
    ).all()


def become_artist(db: Session, user: User, request: BecomeArtistRequest) -> User:
    """Make a signed-in user an artist (admins keep their role), or update their profile."""
    if user.role == Role.CUSTOMER:
        user.role = Role.ARTIST.value
    user.artist_name = request.artist_name
    user.artist_bio = request.artist_bio
    user.artist_url = request.artist_url
    for asset in db.scalars(select(Asset).where(Asset.artist_id == user.id)):
        catalogue.refresh_search_document(asset, user)
    db.flush()
    return user
