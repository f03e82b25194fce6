"""Game tables and each table's own library of assets."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of, updated_at, uuid_pk
from terrain_protocol.plans import DEFAULT_MAX_ASSETS, TablePlan

TABLE_STATUSES = ["active", "archived"]


class GameTable(Base):
    """A designed table. Owned by an account or, before sign-up, by an anonymous session."""

    __tablename__ = "tables"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR session_id IS NOT NULL", name="has_owner"),
        CheckConstraint(one_of("status", TABLE_STATUSES), name="status"),
        CheckConstraint(one_of("plan", [p.value for p in TablePlan]), name="plan"),
        CheckConstraint("width > 0 AND depth > 0", name="positive_size"),
        CheckConstraint("share_code ~ '^[0-9A-F]{16}$'", name="share_code_format"),
        Index("ix_tables_user_sync_version", "user_id", "sync_version"),
        Index("ix_tables_session_sync_version", "session_id", "sync_version"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("anonymous_sessions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default="")
    width: Mapped[int] = mapped_column(server_default=text("1200"))
    depth: Mapped[int] = mapped_column(server_default=text("900"))
    layout: Mapped[dict[str, Any]] = mapped_column(
        server_default=text("""'{"models": []}'::jsonb""")
    )
    is_public: Mapped[bool] = mapped_column(server_default=text("false"))
    share_code: Mapped[str] = mapped_column(String(16), unique=True)
    view_count: Mapped[int] = mapped_column(server_default=text("0"))
    clone_count: Mapped[int] = mapped_column(server_default=text("0"))
    cloned_from_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tables.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), server_default="active", index=True)
    plan: Mapped[str] = mapped_column(String(20), server_default=TablePlan.USER_FREE.value)
    max_assets: Mapped[int] = mapped_column(server_default=text(str(DEFAULT_MAX_ASSETS)))
    #: Set when the owner's plan shrank below their active tables (Pro ended): the table is
    #: kept and readable, but refuses edits until the plan allows it again.
    read_only: Mapped[bool] = mapped_column(server_default=text("false"))
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("1"))
    #: The owner's sync version of the last change to the table's own fields or placements.
    sync_version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    #: Placement id -> sync version of its last change, so a pull sends only what changed.
    placement_versions: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    #: Placement id -> {"client": device id, "since": version}: the device that made every
    #: change to the placement after version `since` (absent when the last was not a sync
    #: push). A pull from that device with a cursor at or past `since` leaves it out: the
    #: device already holds the placement as it is (see `services.sync.pull`).
    placement_authors: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class TableAsset(Base):
    """An asset in a table's library. Removal is soft so it can be undone for a while."""

    __tablename__ = "table_assets"
    __table_args__ = (Index("ix_table_assets_owner_sync_version", "owner_key", "sync_version"),)

    table_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_via_set_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sets.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    removed_at: Mapped[datetime | None]
    #: The table owner's key and sync version of this entry's last change (see models.sync).
    owner_key: Mapped[str] = mapped_column(String(50), server_default="")
    sync_version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class TableSet(Base):
    __tablename__ = "table_sets"

    table_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True
    )
    set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    removed_at: Mapped[datetime | None]


class RecentAssetUsage(Base):
    """What was placed on a table lately, so the drawer can show it first."""

    __tablename__ = "recent_asset_usage"

    table_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_used_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    use_count: Mapped[int] = mapped_column(server_default=text("1"))


POPULARITY_KINDS = ["add", "use"]


class AssetDailyUse(Base):
    """Which owners added or used an asset on which day: popularity counts each owner once
    per asset per day, so repeating a request cannot push an asset up the catalogue."""

    __tablename__ = "asset_daily_use"
    __table_args__ = (CheckConstraint(one_of("kind", POPULARITY_KINDS), name="kind"),)

    asset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    owner_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
