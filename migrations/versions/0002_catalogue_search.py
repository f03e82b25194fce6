"""Catalogue search: a text document per asset, its tsvector, trigram and tag indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:12:10.361399+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column("assets", sa.Column("original_filename", sa.String(length=255), nullable=True))
    op.add_column("assets", sa.Column("source_units", sa.String(length=10), nullable=True))
    op.add_column(
        "assets", sa.Column("search_document", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "assets",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('english'::regconfig, search_document)", persisted=True),
            nullable=False,
        ),
    )
    op.create_index("ix_assets_published_at", "assets", ["published_at"], unique=False)
    op.create_index("ix_assets_base_price", "assets", ["base_price"], unique=False)
    op.create_index(
        "ix_assets_search_document_trgm",
        "assets",
        ["search_document"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_document": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_assets_search_vector", "assets", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_assets_tags", "assets", ["tags"], unique=False, postgresql_using="gin")


def downgrade() -> None:
    # pg_trgm stays: other schemas in the database may use it, and it holds no data.
    op.drop_index("ix_assets_tags", table_name="assets", postgresql_using="gin")
    op.drop_index("ix_assets_search_vector", table_name="assets", postgresql_using="gin")
    op.drop_index(
        "ix_assets_search_document_trgm",
        table_name="assets",
        postgresql_using="gin",
        postgresql_ops={"search_document": "gin_trgm_ops"},
    )
    op.drop_index("ix_assets_published_at", table_name="assets")
    op.drop_index("ix_assets_base_price", table_name="assets")
    op.drop_column("assets", "search_vector")
    op.drop_column("assets", "search_document")
    op.drop_column("assets", "source_units")
    op.drop_column("assets", "original_filename")
