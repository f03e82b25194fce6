"""Sync problems: every change the server did not accept, in words, and what to do about it.

A refused change is never dropped silently. The sync keeps each (the store's `refusals`), and
a table the server refused stays here marked; this lists both, with the server's reason and
the piece by name (its id only in the tooltip), and offers what a user can do: send it again
(after making room, say), keep it as a new table on this computer, or let it go. The window's
Sync problems dialog and the CLI's `status`/`sync` read the same list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from terrain_desktop.app import plans
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.store.local_store import LocalStore
from terrain_protocol.plans import TablePlan

#: Reasons in words for codes whose server message names ids or internals.
REASONS = {
    "table_not_found": "the server has no such table for this account (another account's, "
    "or deleted meanwhile)",
    "table_archived": "the table is archived on the server",
    "table_read_only": "the table can only be read now",
    "asset_not_found": "the server does not have this model",
    "asset_not_visible": "this model is no longer published",
    "table_limit": "your plan holds no more tables",
    "library_limit": "the table's library is full",
}

#: What each kind of change does, for the list ("Add “Boulder”").
VERBS = {
    "add_placement": "Add",
    "move_placement": "Change",
    "remove_placement": "Remove",
    "update_table": "Change the table",
    "archive_table": "Archive the table",
    "restore_table": "Restore the table",
    "add_library_asset": "Add to the library",
    "remove_library_asset": "Remove from the library",
    "restore_library_asset": "Bring back to the library",
    "add_library_set": "Add a set to the library",
    "remove_library_set": "Remove a set from the library",
}


@dataclass(frozen=True)
class Problem:
    table_id: str
    table_name: str
    #: The change, with pieces by name ("Add “Boulder”").
    what: str
    #: The server's reason, in words.
    reason: str
    #: What the user can do.
    advice: str
    #: Ids, for the tooltip (and a bug report).
    detail: str
    #: The refused change (None: the whole table was refused).
    mutation_id: int | None = None
    kind: str = "create_table"

    @property
    def whole_table(self) -> bool:
        return self.mutation_id is None


class SyncProblems:
    def __init__(self, store: LocalStore, assets: Callable[[str], LibraryAsset | None]) -> None:
        self.store = store
        self.assets = assets

    def count(self) -> int:
        return count(self.store)

    def list(self) -> list[Problem]:
        names = {t.id: t.name for t in self.store.tables(include_archived=True)}
        found = [
            Problem(
                t.id,
                t.name,
                f"The table “{t.name}”",
                t.sync_error or "refused by the server",
                "Kept on this computer only. Make room (archive a table, or upgrade), then Retry.",
                f"table {t.id}",
            )
            for t in self.store.tables(include_archived=True)
            if t.sync_state == "rejected"
        ]
        for row in self.store.refusals():
            name = names.get(row["table_id"], "a table no longer here")
            found.append(
                Problem(
                    row["table_id"],
                    name,
                    self._what(row),
                    _reason(row["code"], row["error"]),
                    _advice(row["kind"], row["error"]),
                    f"table {row['table_id']}, change {row['mutation_id']}"
                    + (f", piece {p}" if (p := _piece_id(row)) else ""),
                    row["mutation_id"],
                    row["kind"],
                )
            )
        return found

    def _what(self, row: dict[str, Any]) -> str:
        verb = VERBS.get(row["kind"], "A change")
        asset_id = _asset_id(row)
        piece_id = _piece_id(row)
        if asset_id is None and piece_id is not None:  # a piece still standing here
            here = {p["id"]: p for p in self.store.placements(row["table_id"])}
            asset_id = here.get(piece_id, {}).get("modelId")
        if asset_id is None:
            return verb
        asset = self.assets(asset_id)
        return f"{verb} “{asset.name if asset else 'a model not on this computer'}”"

    # -- what the user can do ------------------------------------------------------------------

    def retry(self, problem: Problem) -> None:
        """Send it again as it is now. A piece is checked against the table's limit first
        (`plans.PieceLimitReached`): sent to a full table it would only be refused again."""
        if problem.whole_table:
            self.store.retry_table(problem.table_id)
            return
        assert problem.mutation_id is not None
        if self.store.table(problem.table_id) is None:
            raise plans.PieceLimitReached(
                "That table is no longer on this computer: keep the change as a new table."
            )
        if problem.kind == "add_placement":
            current = len(self.store.placements(problem.table_id))
            plans.ensure_piece_room(self.store, problem.table_id, current, 1)
        self.store.requeue_refusal(problem.mutation_id)

    def keep_as_table(self, problem: Problem, plan: TablePlan | None) -> str:
        """A new table on this computer (it syncs like any other) holding what was refused:
        the pieces the table's refused additions would have added, or, for another change, a
        copy of the table with the change made. Raises `TableLimitReached` when the plan
        holds no more tables. Returns the new table's id."""
        table = self.store.table(problem.table_id)
        rows = [r for r in self.store.refusals() if r["table_id"] == problem.table_id]
        if problem.kind == "add_placement":
            chosen = [r for r in rows if r["kind"] == "add_placement"]
            pieces = [dict(r["payload"]["placement"]) for r in chosen]
        else:
            chosen = [r for r in rows if r["mutation_id"] == problem.mutation_id]
            pieces = self.store.placements(problem.table_id)
        new_id = self.store.create_table(
            f"{table.name if table else 'Kept changes'} (not accepted)",
            table.width if table else 1200,
            table.depth if table else 900,
            placements=pieces,
            plan=plan,
        )
        for asset_id in self.store.library(problem.table_id):
            self.store.add_library_asset(new_id, asset_id)
        if problem.kind != "add_placement" and problem.kind not in ("create_table",):
            row = chosen[0]
            self.store.edit({**row["payload"], "kind": row["kind"], "table_id": new_id})
        self.store.forget_refusals([r["mutation_id"] for r in chosen])
        return new_id

    def let_go(self, problem: Problem) -> None:
        """Undo it: the change stays unmade (as the server has it), and leaves the list."""
        if problem.mutation_id is not None:
            self.store.forget_refusals([problem.mutation_id])


def count(store: LocalStore) -> int:
    """Changes and tables the server did not accept, not yet dealt with."""
    tables = sum(1 for t in store.tables(include_archived=True) if t.sync_state == "rejected")
    return tables + len(store.refusals())


def _reason(code: str, error: str) -> str:
    return REASONS.get(code) or error.rstrip(".") or "refused by the server"


def _advice(kind: str, error: str) -> str:
    if kind == "add_placement" and "at most" in error:
        return (
            "Delete some pieces from the table and Retry, keep the refused pieces as a new "
            "table, or Undo it."
        )
    return "Retry, keep it as a new table on this computer, or Undo it."


def _piece_id(row: dict[str, Any]) -> str | None:
    payload = row["payload"]
    if row["kind"] == "add_placement":
        return str(payload.get("placement", {}).get("id") or "") or None
    value = payload.get("placement_id")
    return str(value) if value else None


def _asset_id(row: dict[str, Any]) -> str | None:
    payload = row["payload"]
    if row["kind"] == "add_placement":
        value = payload.get("placement", {}).get("modelId")
        return str(value) if value else None
    value = payload.get("asset_id")
    return str(value) if value else None
