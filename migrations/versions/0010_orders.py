"""Orders: the Checkout page of an order, the Pro subscription, read-only tables.

Revision ID: 0010_orders
Revises: 0009_legacy
Create Date: 2026-11-26 17:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_orders"
down_revision: str | Sequence[str] | None = "0009_legacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("checkout_url", sa.String(length=2000), nullable=True))
    op.add_column("users", sa.Column("stripe_customer_id", sa.String(length=255), nullable=True))
    op.add_column(
        "users", sa.Column("stripe_subscription_id", sa.String(length=255), nullable=True)
    )
    op.create_index("ix_users_stripe_customer_id", "users", ["stripe_customer_id"])
    op.create_unique_constraint(
        "uq_users_stripe_subscription_id", "users", ["stripe_subscription_id"]
    )
    op.add_column(
        "tables",
        sa.Column("read_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("tables", "read_only")
    op.drop_constraint("uq_users_stripe_subscription_id", "users", type_="unique")
    op.drop_index("ix_users_stripe_customer_id", table_name="users")
    op.drop_column("users", "stripe_subscription_id")
    op.drop_column("users", "stripe_customer_id")
    op.drop_column("orders", "checkout_url")
