"""The global catalogue: who may see and change an asset, and how it is found."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from server.errors import ApiError
from server.services.view_counts import ViewCounter
from terrain_protocol.catalogue import AssetUpdate, SearchSort
from terrain_protocol.errors import ErrorCode
from terrain_protocol.plans import Role

#: How alike a misspelt word must be to a word of the asset (pg_trgm word similarity).
TYPO_THRESHOLD = 0.5
MAX_QUERY_WORDS = 8


def refresh_search_document(asset: Asset, artist: User) -> None:
    """What text search looks through: name, tags, description, artist name."""
    parts = [
        asset.name,
        " ".join(asset.tags or []),
        asset.description or "",
        artist.artist_name or "",
    ]
    asset.search_document = " ".join(p for p in parts if p)


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def listed() -> ColumnElement[bool]:
    """Assets anyone may find in the catalogue."""
    return and_(Asset.status == "published", Asset.visibility == "public")


def can_see(asset: Asset, user: User | None) -> bool:
    if is_admin(user) or (user is not None and asset.artist_id == user.id):
        return True
    return asset.status == "published" and asset.visibility in ("public", "unlisted")


def visible_to(user: User | None) -> ColumnElement[bool]:
    """`can_see` as a query condition, for lists that must not reveal others' drafts."""
    if is_admin(user):
        return true()
    published = and_(Asset.status == "published", Asset.visibility.in_(["public", "unlisted"]))
    return published if user is None else or_(published, Asset.artist_id == user.id)


def not_found() -> ApiError:
    return ApiError(404, ErrorCode.ASSET_NOT_FOUND, "Asset not found.")


def visible(
    db: Session, user: User | None, asset_id: uuid.UUID, *, views: ViewCounter | None = None
) -> Asset:
    """An asset the caller may see; with `views`, a view by anyone but its artist is counted."""
    asset = db.get(Asset, asset_id)
    if asset is None or not can_see(asset, user):
        raise not_found()
    if views is not None and (user is None or user.id != asset.artist_id):
        views.record(Asset, asset.id)
    return asset


def editable(db: Session, user: User, asset_id: uuid.UUID) -> Asset:
    asset = db.get(Asset, asset_id, with_for_update=True)
    if asset is None or not can_see(asset, user):
        raise not_found()
    if asset.artist_id != user.id and not is_admin(user):
        raise ApiError(403, ErrorCode.FORBIDDEN, "Only the asset's artist may change it.")
    return asset


def apply_update(
    db: Session, user: User, asset_id: uuid.UUID, request: AssetUpdate, now: datetime
) -> Asset:
    asset = editable(db, user, asset_id)
    changes = request.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field in (
            "name",
            "tags",
            "base_price",
            "licence",
            "status",
            "visibility",
        ):
            raise ApiError(
                422, ErrorCode.VALIDATION_ERROR, f"Invalid request: body.{field}: may not be null."
            )
        setattr(asset, field, value)
    if changes.get("status") == "published":
        _check_publishable(asset)
        asset.published_at = asset.published_at or now
    asset.updated_at = now
    artist = db.get(User, asset.artist_id)
    assert artist is not None
    refresh_search_document(asset, artist)
    db.commit()
    return asset


def _check_publishable(asset: Asset) -> None:
    if asset.processing_state != "ready":
        reason = (
            "the model is still being processed"
            if asset.processing_state == "processing"
            else f"processing the model failed ({asset.processing_error})"
        )
        raise ApiError(409, ErrorCode.CANNOT_PUBLISH, f"Cannot publish: {reason}.")
    missing = [
        label
        for label, value in (
            ("a display mesh", asset.glb_file_path),
            ("a thumbnail", asset.thumbnail_path),
            ("a category", asset.category),
        )
        if not value
    ]
    if missing:
        raise ApiError(
            409,
            ErrorCode.CANNOT_PUBLISH,
            f"Cannot publish yet: the asset needs {', '.join(missing)}.",
        )


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    artist_id: uuid.UUID | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: SearchSort | None = None
    limit: int = 24
    offset: int = 0


def search(db: Session, query: SearchQuery) -> tuple[Sequence[Asset], int]:
    """Published public assets matching the query, with the total for paging.

    Text matches by stemmed full text; when nothing matches so, by word similarity, so a
    typo still finds something ('barels' finds 'barrel'). Both use GIN indexes.
    """
    conditions: list[ColumnElement[bool]] = [listed()]
    rank = None
    if query.category:
        conditions.append(Asset.category == query.category)
    if query.tags:
        conditions.append(Asset.tags.contains(list(query.tags)))
    if query.artist_id:
        conditions.append(Asset.artist_id == query.artist_id)
    if query.min_price is not None:
        conditions.append(Asset.base_price >= query.min_price)
    if query.max_price is not None:
        conditions.append(Asset.base_price <= query.max_price)
    total = 0
    if query.text:
        # Exact (stemmed) matches first; only when there are none, near matches for typos.
        tsquery = func.websearch_to_tsquery("english", query.text)
        exact = [*conditions, Asset.search_vector.op("@@")(tsquery)]
        total = db.scalar(select(func.count()).select_from(Asset).where(*exact)) or 0
        if total:
            conditions = exact
        else:
            conditions += _near_matches(db, query.text)
        rank = func.ts_rank(Asset.search_vector, tsquery) + func.word_similarity(
            query.text, Asset.search_document
        )
    if not total:
        total = db.scalar(select(func.count()).select_from(Asset).where(*conditions)) or 0
    sort = query.sort or ("relevance" if rank is not None else "newest")
    order = {
        "relevance": [rank.desc()] if rank is not None else [Asset.published_at.desc()],
        "newest": [Asset.published_at.desc()],
        "popular": [
            (Asset.add_count + Asset.use_count + Asset.sale_count).desc(),
            Asset.view_count.desc(),
        ],
        "price": [Asset.base_price.asc()],
        "price_desc": [Asset.base_price.desc()],
    }[sort]
    rows = db.scalars(
        select(Asset)
        .where(*conditions)
        .order_by(*order, Asset.id)
        .limit(query.limit)
        .offset(query.offset)
    ).all()
    return rows, total


def _near_matches(db: Session, text: str) -> list[ColumnElement[bool]]:
    """Every word must nearly appear in the asset's text (trigram word similarity).

    An exactly spelt word scores 1, so a phrase with one typo still matches; the trigram
    index serves each condition.
    """
    db.execute(
        select(func.set_config("pg_trgm.word_similarity_threshold", str(TYPO_THRESHOLD), True))
    )
    return [Asset.search_document.op("%>")(word) for word in text.split()[:MAX_QUERY_WORDS]]
