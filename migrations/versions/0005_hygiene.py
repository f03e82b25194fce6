"""Popularity counts each owner once per asset per day.

Revision ID: 0005_hygiene
Revises: 0007_meshes
Create Date: 2026-11-26 14:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_hygiene"
down_revision: str | Sequence[str] | None = "0007_meshes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "asset_daily_use",
        sa.Column("asset_id", sa.UUID(), nullable=False),
        sa.Column("owner_key", sa.String(length=50), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.CheckConstraint("kind IN ('add', 'use')", name=op.f("ck_asset_daily_use_kind")),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_daily_use_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "asset_id", "owner_key", "day", "kind", name=op.f("pk_asset_daily_use")
        ),
    )
    op.create_index(op.f("ix_asset_daily_use_day"), "asset_daily_use", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_asset_daily_use_day"), table_name="asset_daily_use")
    op.drop_table("asset_daily_use")
