"""Tables past an account's plan limit stay, read-only, until the plan allows them again.

When Pro ends, the account's oldest active tables (as many as the free plan allows) stay
editable and the rest are marked read-only: readable, shareable, never deleted, but every
edit (REST or sync push) is refused with 402 `table_read_only`. Upgrading, archiving a
table or restoring one re-balances the marks.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import GameTable
from server.errors import ApiError
from terrain_protocol.errors import ErrorCode


def read_only_error() -> ApiError:
    return ApiError(
        402,
        ErrorCode.TABLE_READ_ONLY,
        "This table is read-only: your plan allows fewer active tables. Upgrade to Pro, "
        "or archive another table, to edit it again.",
    )


def rebalance(db: Session, user_id: uuid.UUID, limit: int) -> list[uuid.UUID]:
    """Mark the user's active tables beyond the first `limit` read-only, the rest editable;
    returns the read-only ones."""
    rows = db.scalars(
        select(GameTable)
        .where(GameTable.user_id == user_id, GameTable.status == "active")
        .order_by(GameTable.created_at, GameTable.id)
        .with_for_update()
    ).all()
    for position, table in enumerate(rows):
        wanted = position >= limit
        if table.read_only != wanted:
            table.read_only = wanted
    db.flush()
    return [table.id for table in rows if table.read_only]
