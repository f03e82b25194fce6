"""The plan a device works under, in words: which plan, how many tables it holds and how many
are in use, and why one more cannot be made.

The server enforces the limits; the desktop applies the same numbers (`terrain_protocol.plans`)
offline, so a user learns at once, not at the next sync, and the explanation is the same
whether the table would be new or a clone.
"""

from dataclasses import dataclass

from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import DEFAULT_TABLE_LIMITS, TablePlan

PLAN_NAMES = {
    TablePlan.ANON_FREE: "Free (no account)",
    TablePlan.USER_FREE: "Free",
    TablePlan.PRO: "Pro",
}


@dataclass(frozen=True)
class PlanSummary:
    plan: TablePlan
    used: int
    limit: int

    @property
    def full(self) -> bool:
        return self.used >= self.limit

    @property
    def text(self) -> str:
        return f"{PLAN_NAMES[self.plan]} plan · {self.used} of {self.limit} tables"

    def explanation(self) -> str:
        """Why no more tables can be made, and what to do."""
        more = (
            " Sign in or create an account to keep your tables safe on the server."
            if self.plan == TablePlan.ANON_FREE
            else " Pro holds more."
            if self.plan != TablePlan.PRO
            else ""
        )
        return (
            f"Your {PLAN_NAMES[self.plan]} plan holds {self.limit} active tables and you "
            f"have {self.used}. Archive a table to make room.{more}"
        )


def active_tables(store: LocalStore) -> int:
    """Tables that count against the plan: active, and not refused by the server."""
    return sum(1 for t in store.tables() if t.sync_state != "rejected")


def summary(store: LocalStore, plan: TablePlan) -> PlanSummary:
    return PlanSummary(plan, active_tables(store), DEFAULT_TABLE_LIMITS[plan])


def ensure_room(store: LocalStore, plan: TablePlan) -> None:
    """Raise `TableLimitReached` (with the explanation) when the plan holds no more tables."""
    current = summary(store, plan)
    if current.full:
        raise TableLimitReached(current.explanation())
