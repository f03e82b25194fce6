"""Legacy import ledger: what import-legacy brought in, for re-runs, resuming and rollback.

Revision ID: 0009_legacy
Revises: 0005_hygiene
Create Date: 2026-11-26 14:20:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_legacy"
down_revision: str | Sequence[str] | None = "0005_hygiene"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "legacy_imports",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("legacy_id", sa.String(length=100), nullable=False),
        sa.Column("target_id", sa.UUID(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
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
        sa.CheckConstraint(
            "kind IN ('user', 'model', 'favorite', 'user_table', 'example_table', 'order', "
            "'transfer')",
            name=op.f("ck_legacy_imports_kind"),
        ),
        sa.CheckConstraint(
            "outcome IN ('imported', 'failed')", name=op.f("ck_legacy_imports_outcome")
        ),
        sa.PrimaryKeyConstraint("kind", "legacy_id", name=op.f("pk_legacy_imports")),
    )


def downgrade() -> None:
    op.drop_table("legacy_imports")
