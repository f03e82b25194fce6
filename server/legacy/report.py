"""What an import did: counts per kind and every problem worth a human look, as text and JSON."""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: How a legacy row fared: new here, changed since the last run, unchanged (nothing done), or
#: not importable (the reason is in the issues).
OUTCOMES = ("imported", "updated", "skipped", "failed")


@dataclass(frozen=True)
class Issue:
    """Something the operator should know about one legacy row."""

    kind: str
    legacy_id: str
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "legacy_id": self.legacy_id,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class Report:
    dry_run: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    #: Imported model files the worker has not processed yet.
    pending_processing: int = 0

    def count(self, kind: str, outcome: str) -> None:
        assert outcome in OUTCOMES, outcome
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def note(self, kind: str, legacy_id: object, code: str, message: str) -> None:
        self.issues.append(Issue(kind, str(legacy_id), code, message))

    def changed(self) -> int:
        """Rows written (or, in a dry run, that would be written)."""
        return sum(c["imported"] + c["updated"] for c in self.counts.values())

    def issues_with(self, code: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.code == code]

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed(),
            "counts": {
                kind: {outcome: counts[outcome] for outcome in OUTCOMES}
                for kind, counts in self.counts.items()
            },
            "pending_processing": self.pending_processing,
            "issues": [issue.as_json() for issue in self.issues],
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")

    def as_text(self) -> str:
        lines = ["DRY RUN: nothing was written." if self.dry_run else "Legacy import report."]
        lines.append(f"{'kind':<15}" + "".join(f"{o:>10}" for o in OUTCOMES))
        for kind, counts in self.counts.items():
            lines.append(f"{kind:<15}" + "".join(f"{counts[o]:>10}" for o in OUTCOMES))
        if self.changed() == 0:
            lines.append("Nothing changed: every legacy row was imported before and is unchanged.")
        if self.pending_processing:
            lines.append(
                f"{self.pending_processing} model file(s) queued for processing: "
                "`terrain-server worker` makes their display meshes and thumbnails."
            )
        if self.issues:
            lines.append(f"Issues ({len(self.issues)}):")
            lines.extend(f"  [{i.code}] {i.kind} {i.legacy_id}: {i.message}" for i in self.issues)
        return "\n".join(lines)
