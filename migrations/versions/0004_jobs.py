"""Uploads are processed by a worker: assets carry a processing state and failure reason.

The `jobs` table itself exists since 0001; the worker claims `process_asset` jobs from it.

Revision ID: 0004_jobs
Revises: 0003
Create Date: 2026-11-26 14:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_jobs"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assets",
        sa.Column("processing_state", sa.String(length=20), server_default="ready", nullable=False),
    )
    op.add_column("assets", sa.Column("processing_error", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_assets_processing_state"),
        "assets",
        "processing_state IN ('processing', 'ready', 'failed')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_assets_processing_state"), "assets", type_="check")
    op.drop_column("assets", "processing_error")
    op.drop_column("assets", "processing_state")
