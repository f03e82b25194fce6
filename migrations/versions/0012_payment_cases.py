"""Payment cases: a payment Stripe reported that does not match its order, for an admin.

Revision ID: 0012_payment_cases
Revises: 0011_h13_artist
Create Date: 2026-12-06 06:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_payment_cases"
down_revision: str | Sequence[str] | None = "0011_h13_artist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_cases",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("problem", sa.String(length=500), nullable=False),
        sa.Column("expected_session_id", sa.String(length=255), nullable=True),
        sa.Column("received_session_id", sa.String(length=255), nullable=True),
        sa.Column("expected_amount", sa.BigInteger(), nullable=False),
        sa.Column("received_amount", sa.BigInteger(), nullable=True),
        sa.Column("expected_currency", sa.String(length=3), nullable=False),
        sa.Column("received_currency", sa.String(length=10), nullable=True),
        sa.Column("payment_intent_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_payment_cases_status")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_payment_cases_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_cases")),
        sa.UniqueConstraint("event_id", name=op.f("uq_payment_cases_event_id")),
    )
    op.create_index(op.f("ix_payment_cases_order_id"), "payment_cases", ["order_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_cases_order_id"), table_name="payment_cases")
    op.drop_table("payment_cases")
