"""What `terrain-server import-legacy` brought in from the original system, row by row.

One row per legacy row (kind + its legacy key) with a fingerprint of what it looked like when
imported: a second run skips rows whose fingerprint is unchanged (so it changes nothing), a run
after a crash carries on where the last committed batch ended, and a rollback knows exactly
which rows the import created.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of, updated_at

LEGACY_KINDS = ["user", "model", "favorite", "user_table", "example_table", "order", "transfer"]
LEGACY_OUTCOMES = ["imported", "failed"]


class LegacyImport(Base):
    __tablename__ = "legacy_imports"
    __table_args__ = (
        CheckConstraint(one_of("kind", LEGACY_KINDS), name="kind"),
        CheckConstraint(one_of("outcome", LEGACY_OUTCOMES), name="outcome"),
    )

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    legacy_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: The row made from it (users, assets, tables, orders and payments keep the legacy id).
    target_id: Mapped[uuid.UUID | None]
    fingerprint: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
