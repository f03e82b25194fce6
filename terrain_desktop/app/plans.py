"""The plan a device works under, in words: which plan, how many tables it holds and how many
are in use, and why one more cannot be made.

The server enforces the limits; the desktop applies the same numbers (`terrain_protocol.plans`)
offline, so a user learns at once, not at the next sync, and the explanation is the same
whether the table would be new or a clone.
"""

from dataclasses import dataclass

from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import DEFAULT_MAX_ASSETS, DEFAULT_TABLE_LIMITS, TablePlan

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


class PieceLimitReached(Exception):
    """One more piece (or library entry) would pass the table's limit: the edit is refused
    whole, before anything changes, as the server would refuse it at the next sync."""


def piece_limit(store: LocalStore, table_id: str) -> int:
    """The most pieces the table may hold: as the server set it, else the protocol's default."""
    table = store.table(table_id)
    return (table.max_assets if table is not None else None) or DEFAULT_MAX_ASSETS


def over_limit(store: LocalStore, table_id: str) -> bool:
    """A table made by an older version may hold more: it is kept whole and marked."""
    return len(store.placements(table_id)) > piece_limit(store, table_id)


def ensure_piece_room(store: LocalStore, table_id: str, current: int, adding: int) -> None:
    """Raise `PieceLimitReached` (saying the limit) unless `adding` more pieces fit."""
    limit = piece_limit(store, table_id)
    if adding > 0 and current + adding > limit:
        table = store.table(table_id)
        name = f"“{table.name}”" if table is not None else "This table"
        more = f"{adding} more" if adding > 1 else "one more"
        raise PieceLimitReached(
            f"A table holds at most {limit} pieces; {name} has {current}, so {more} would "
            "not fit. Delete some pieces, or start another table."
        )


def ensure_library_room(store: LocalStore, table_id: str, adding: int = 1) -> None:
    """Raise `PieceLimitReached` unless `adding` more assets fit in the table's library."""
    limit = piece_limit(store, table_id)
    current = len(store.library(table_id))
    if current + adding > limit:
        raise PieceLimitReached(
            f"A table's library holds at most {limit} assets and this one has {current}. "
            "Remove some from the library first."
        )
