"""Assets carry a licence: what a buyer may do with the model, chosen by its artist.

Revision ID: 0011_h13_artist
Revises: 0010_orders
Create Date: 2026-11-26 17:35:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_h13_artist"
down_revision: str | Sequence[str] | None = "0010_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LICENCES = ("personal-use", "commercial-prints", "cc-by-4.0", "cc-by-nc-4.0", "cc0-1.0")


def upgrade() -> None:
    op.add_column(
        "assets",
        sa.Column("licence", sa.String(length=40), server_default="personal-use", nullable=False),
    )
    allowed = ", ".join(f"'{name}'" for name in LICENCES)
    op.create_check_constraint(op.f("ck_assets_licence"), "assets", f"licence IN ({allowed})")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_assets_licence"), "assets", type_="check")
    op.drop_column("assets", "licence")
