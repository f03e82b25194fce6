"""The activity log records the client's address, and is indexed for "what happened lately".

Revision ID: 0014_activity
Revises: 0013_idempotency_keys
Create Date: 2026-12-06 06:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_activity"
down_revision: str | Sequence[str] | None = "0013_idempotency_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activity_log", sa.Column("client_address", sa.String(length=64)))
    op.create_index("ix_activity_log_action_created_at", "activity_log", ["action", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_activity_log_action_created_at", table_name="activity_log")
    op.drop_column("activity_log", "client_address")
