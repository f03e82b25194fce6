"""The import's memory (the `legacy_imports` table): what each legacy row looked like last time."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import LegacyImport
from server.legacy.report import Report


@dataclass(frozen=True)
class Previous:
    fingerprint: str
    outcome: str


class Ledger:
    """Decides per legacy row whether there is anything to do, and records what was done."""

    def __init__(self, db: Session, report: Report, kind: str, legacy_ids: list[str]) -> None:
        self.db = db
        self.report = report
        self.kind = kind
        rows = db.execute(
            select(LegacyImport.legacy_id, LegacyImport.fingerprint, LegacyImport.outcome).where(
                LegacyImport.kind == kind, LegacyImport.legacy_id.in_(legacy_ids)
            )
        )
        self.previous = {r.legacy_id: Previous(r.fingerprint, r.outcome) for r in rows}
        self.pending: list[dict[str, object]] = []

    def same(self, legacy_id: str, fingerprint: str) -> bool:
        """Whether the row was imported before exactly as it is (nothing counted)."""
        before = self.previous.get(legacy_id)
        return before is not None and before.fingerprint == fingerprint

    def unchanged(self, legacy_id: str, fingerprint: str) -> bool:
        """True (and counted as skipped) when the row was imported before exactly as it is."""
        before = self.previous.get(legacy_id)
        if before is not None and before.fingerprint == fingerprint:
            self.report.count(self.kind, "skipped")
            return True
        return False

    def record(
        self,
        legacy_id: str,
        fingerprint: str,
        target_id: uuid.UUID | None,
        failure: str | None = None,
    ) -> None:
        """Remember the row (written by `flush`, in the batch's transaction); count it."""
        outcome = "failed" if failure else "imported"
        self.pending.append(
            {
                "kind": self.kind,
                "legacy_id": legacy_id,
                "target_id": target_id,
                "fingerprint": fingerprint,
                "outcome": outcome,
                "reason": failure,
            }
        )
        if failure:
            self.report.count(self.kind, "failed")
        else:
            self.report.count(self.kind, "updated" if legacy_id in self.previous else "imported")

    def flush(self) -> None:
        """Write the batch's records in one statement."""
        if not self.pending:
            return
        statement = insert(LegacyImport).values(self.pending)
        excluded = statement.excluded
        self.db.execute(
            statement.on_conflict_do_update(
                index_elements=[LegacyImport.kind, LegacyImport.legacy_id],
                set_={
                    "target_id": excluded.target_id,
                    "fingerprint": excluded.fingerprint,
                    "outcome": excluded.outcome,
                    "reason": excluded.reason,
                    "updated_at": func.now(),
                },
            )
        )
        self.pending = []
