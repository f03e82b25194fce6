"""Mesh tiers: every mesh of an asset's level-of-detail ladder, stored by content hash; and
the catalogue page's server-rendered views of each asset's full mesh.

Revision ID: 0016_mesh_tiers
Revises: 0015_order_item_asset_id
Create Date: 2026-12-06 06:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016_mesh_tiers"
down_revision: str | Sequence[str] | None = "0015_order_item_asset_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mesh_tiers",
        sa.Column("asset_id", sa.UUID(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("triangles", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=500), nullable=False),
        sa.Column("preview", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_mesh_tiers_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "level", name=op.f("pk_mesh_tiers")),
    )
    op.create_index(op.f("ix_mesh_tiers_sha256"), "mesh_tiers", ["sha256"])
    op.add_column(
        "assets",
        sa.Column("view_paths", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("assets", "view_paths")
    op.drop_index(op.f("ix_mesh_tiers_sha256"), table_name="mesh_tiers")
    op.drop_table("mesh_tiers")
