"""The global catalogue: artists' terrain models, curated sets, and favourites."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of, updated_at, uuid_pk
from terrain_protocol.catalogue import DEFAULT_LICENCE, LICENCES

ASSET_STATUSES = ["draft", "published", "archived"]
ASSET_VISIBILITIES = ["public", "unlisted", "private"]
#: Where an upload is in the out-of-process pipeline (see server/services/asset_processing.py).
PROCESSING_STATES = ["processing", "ready", "failed"]


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        CheckConstraint(one_of("status", ASSET_STATUSES), name="status"),
        CheckConstraint(one_of("visibility", ASSET_VISIBILITIES), name="visibility"),
        CheckConstraint(one_of("licence", list(LICENCES)), name="licence"),
        CheckConstraint(one_of("processing_state", PROCESSING_STATES), name="processing_state"),
        CheckConstraint("base_price >= 0", name="base_price_not_negative"),
        Index("ix_assets_search_vector", "search_vector", postgresql_using="gin"),
        Index(
            "ix_assets_search_document_trgm",
            "search_document",
            postgresql_using="gin",
            postgresql_ops={"search_document": "gin_trgm_ops"},
        ),
        Index("ix_assets_tags", "tags", postgresql_using="gin"),
        Index("ix_assets_published_at", "published_at"),
        Index("ix_assets_base_price", "base_price"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    #: Content hash of the original upload: the same file uploaded twice is stored once.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    file_ref: Mapped[str | None] = mapped_column(String(500))
    glb_file_path: Mapped[str | None] = mapped_column(String(500))
    display_file_path: Mapped[str | None] = mapped_column(String(500))
    thumbnail_path: Mapped[str | None] = mapped_column(String(500))
    #: The catalogue page's server-rendered views of the full mesh: view name -> storage key.
    view_paths: Mapped[dict[str, Any] | None]
    preview_url: Mapped[str | None] = mapped_column(String(500))
    original_filename: Mapped[str | None] = mapped_column(String(255))
    #: The units the original was drawn in (mm, cm, inch); dimensions are always in mm.
    source_units: Mapped[str | None] = mapped_column(String(10))
    dimensions_mm: Mapped[dict[str, Any] | None]
    poly_count: Mapped[int | None]
    base_price: Mapped[Decimal] = mapped_column(server_default=text("0"))
    #: What buyers may do with it (`terrain_protocol.catalogue.LICENCES`).
    licence: Mapped[str] = mapped_column(String(40), server_default=DEFAULT_LICENCE)
    status: Mapped[str] = mapped_column(String(20), server_default="draft", index=True)
    processing_state: Mapped[str] = mapped_column(String(20), server_default="ready")
    #: Why processing failed, in words for the artist.
    processing_error: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(20), server_default="public")
    view_count: Mapped[int] = mapped_column(server_default=text("0"))
    add_count: Mapped[int] = mapped_column(server_default=text("0"))
    use_count: Mapped[int] = mapped_column(server_default=text("0"))
    download_count: Mapped[int] = mapped_column(server_default=text("0"))
    sale_count: Mapped[int] = mapped_column(server_default=text("0"))
    #: Name, tags, description and artist name, kept by the catalogue service for search.
    search_document: Mapped[str] = mapped_column(Text, server_default="")
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english'::regconfig, search_document)", persisted=True)
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    published_at: Mapped[datetime | None]


class AssetSet(Base):
    """A curated collection of assets that a table's library can take in one step."""

    __tablename__ = "sets"

    id: Mapped[uuid.UUID] = uuid_pk()
    curator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(server_default=text("true"))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class SetAsset(Base):
    __tablename__ = "set_assets"

    set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(server_default=text("0"))


class Favorite(Base):
    __tablename__ = "favorites"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = created_at()


class MeshTier(Base):
    """One stored mesh of an asset's level-of-detail ladder (`terrain_meshes.tiers`).

    The file is content-addressed (`storage_key` names its SHA-256), so a URL naming the hash
    never changes what it serves. `preview` tiers may go to anyone who can see the asset; the
    others only to those with the full model (`server.services.mesh_access`).
    """

    __tablename__ = "mesh_tiers"

    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    #: 0 is the whole mesh; higher levels have fewer triangles.
    level: Mapped[int] = mapped_column(primary_key=True)
    triangles: Mapped[int]
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(500))
    preview: Mapped[bool]
