"""Sync: per-owner versions, device progress, tombstones and refusals.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:29:43.982557+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_clients",
        sa.Column("owner_key", sa.String(length=50), nullable=False),
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("last_mutation_id", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("owner_key", "client_id", name=op.f("pk_sync_clients")),
    )
    op.create_table(
        "sync_owners",
        sa.Column("owner_key", sa.String(length=50), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("purged_through", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("owner_key", name=op.f("pk_sync_owners")),
    )
    op.create_table(
        "sync_rejections",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("owner_key", sa.String(length=50), nullable=False),
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("mutation_id", sa.BigInteger(), nullable=False),
        sa.Column("sync_version", sa.BigInteger(), nullable=False),
        sa.Column("table_id", sa.UUID(), nullable=True),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_rejections")),
    )
    op.create_index(
        "ix_sync_rejections_client_version",
        "sync_rejections",
        ["owner_key", "client_id", "sync_version"],
        unique=False,
    )
    op.create_table(
        "sync_tombstones",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("owner_key", sa.String(length=50), nullable=False),
        sa.Column("sync_version", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("table_id", sa.UUID(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_tombstones")),
    )
    op.create_index(
        "ix_sync_tombstones_owner_version",
        "sync_tombstones",
        ["owner_key", "sync_version"],
        unique=False,
    )
    op.add_column(
        "table_assets",
        sa.Column("owner_key", sa.String(length=50), server_default="", nullable=False),
    )
    op.add_column(
        "table_assets",
        sa.Column("sync_version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )
    op.create_index(
        "ix_table_assets_owner_sync_version",
        "table_assets",
        ["owner_key", "sync_version"],
        unique=False,
    )
    op.add_column(
        "tables",
        sa.Column("sync_version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "tables",
        sa.Column(
            "placement_versions",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_tables_session_sync_version", "tables", ["session_id", "sync_version"], unique=False
    )
    op.create_index(
        "ix_tables_user_sync_version", "tables", ["user_id", "sync_version"], unique=False
    )
    # Existing library entries belong to their table's owner.
    op.execute(
        "UPDATE table_assets ta SET owner_key = CASE WHEN t.user_id IS NOT NULL "
        "THEN 'user:' || t.user_id ELSE 'session:' || t.session_id END "
        "FROM tables t WHERE t.id = ta.table_id"
    )


def downgrade() -> None:
    op.drop_index("ix_tables_user_sync_version", table_name="tables")
    op.drop_index("ix_tables_session_sync_version", table_name="tables")
    op.drop_column("tables", "placement_versions")
    op.drop_column("tables", "sync_version")
    op.drop_index("ix_table_assets_owner_sync_version", table_name="table_assets")
    op.drop_column("table_assets", "sync_version")
    op.drop_column("table_assets", "owner_key")
    op.drop_index("ix_sync_tombstones_owner_version", table_name="sync_tombstones")
    op.drop_table("sync_tombstones")
    op.drop_index("ix_sync_rejections_client_version", table_name="sync_rejections")
    op.drop_table("sync_rejections")
    op.drop_table("sync_owners")
    op.drop_table("sync_clients")
