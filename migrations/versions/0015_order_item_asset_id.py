"""An order line names its asset `asset_id`, as everything else does (it was `model_id`, the
original system's word); the index and foreign key are renamed with it.

Revision ID: 0015_order_item_asset_id
Revises: 0014_activity
Create Date: 2026-12-06 06:45:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_order_item_asset_id"
down_revision: str | Sequence[str] | None = "0014_activity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("order_items", "model_id", new_column_name="asset_id")
    op.execute("ALTER INDEX ix_order_items_model_id RENAME TO ix_order_items_asset_id")
    op.execute(
        "ALTER TABLE order_items RENAME CONSTRAINT fk_order_items_model_id_assets "
        "TO fk_order_items_asset_id_assets"
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE order_items RENAME CONSTRAINT fk_order_items_asset_id_assets "
        "TO fk_order_items_model_id_assets"
    )
    op.execute("ALTER INDEX ix_order_items_asset_id RENAME TO ix_order_items_model_id")
    op.alter_column("order_items", "asset_id", new_column_name="model_id")
