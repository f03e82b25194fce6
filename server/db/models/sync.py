"""Sync bookkeeping: per-owner versions, each device's progress, tombstones, refusals.

An owner is an account or an anonymous session, named by an owner key ("user:<id>" or
"session:<id>"). Every row an owner's edit touches is stamped with that owner's next version,
taken under a row lock, so versions follow commit order and a pull can ask for everything
after a version.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Identity, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at


class SyncOwner(Base):
    __tablename__ = "sync_owners"

    owner_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    #: Tombstones at or below this version were purged: older cursors must reset.
    purged_through: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class SyncClient(Base):
    """One device of one owner, and the last of its mutations the server has applied."""

    __tablename__ = "sync_clients"

    owner_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class SyncTombstone(Base):
    """Something that disappeared from an owner's view: a placement removed from a table, or a
    table that moved to another owner."""

    __tablename__ = "sync_tombstones"
    __table_args__ = (Index("ix_sync_tombstones_owner_version", "owner_key", "sync_version"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(50))
    sync_version: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))
    table_id: Mapped[uuid.UUID]
    entity_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at()


class SyncRejection(Base):
    """A mutation refused for good (plan limit, validation, archived table), for its device."""

    __tablename__ = "sync_rejections"
    __table_args__ = (
        Index("ix_sync_rejections_client_version", "owner_key", "client_id", "sync_version"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(50))
    client_id: Mapped[uuid.UUID]
    mutation_id: Mapped[int] = mapped_column(BigInteger)
    sync_version: Mapped[int] = mapped_column(BigInteger)
    #: No foreign key: a refused table was never created here.
    table_id: Mapped[uuid.UUID | None]
    code: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
