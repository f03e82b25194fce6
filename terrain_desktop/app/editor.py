"""The editing session: which table is open, and what a user can do to tables and pieces.

Each operation here is what a toolbar button, a shortcut, the CLI or a test calls; none needs
a window. Widgets call these and listen to the signals (and to the open document's own), and
never edit the store themselves. Undoable edits go through `history`, which the window backs
with Qt's undo stack and scripts with the plain one.
"""

from collections.abc import Callable, Iterable
from typing import Protocol

from terrain_desktop.app import plans
from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.preferences import Preferences
from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain import commands
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.events import Signal
from terrain_desktop.domain.piece import Piece, PieceChanges
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store.local_store import LocalStore
from terrain_protocol.plans import TablePlan

RECENT_LIMIT = 12


class History(Protocol):
    """Where undoable edits go: Qt's undo stack in the window, `commands.UndoStack` in scripts."""

    def push(self, command: Command) -> None: ...
    def clear(self) -> None: ...


class Editor:
    def __init__(
        self,
        store: LocalStore,
        catalogue: Catalogue | None = None,
        history: History | None = None,
        plan: Callable[[], TablePlan | None] = lambda: None,
    ) -> None:
        """`plan` gives the plan whose table limit applies offline (None: no limit here)."""
        self.store = store
        self.catalogue = catalogue or Catalogue(store)
        self.preferences = Preferences(store)
        self.history: History = history or commands.UndoStack()
        self.plan = plan
        self.doc: TableDocument | None = None
        self.clipboard: list[Piece] = []
        #: A table was opened (or the open one closed: None).
        self.table_opened: Signal[TableDocument | None] = Signal()
        #: The list of tables changed (made, renamed, archived, synced).
        self.tables_changed: Signal[None] = Signal()
        #: The open table's library or its recently used assets changed.
        self.library_changed: Signal[None] = Signal()
        #: An edit was refused before anything changed (a limit): why, in words.
        self.refused: Signal[str] = Signal()

    # -- tables --------------------------------------------------------------------------------

    def open_last_table(self) -> None:
        tables = self.store.tables()
        last = self.preferences.get(prefs.LAST_TABLE)
        start = last if any(t.id == last for t in tables) else (tables[0].id if tables else None)
        if start is not None:
            self.open_table(start)

    def open_table(self, table_id: str, *, again: bool = False) -> None:
        """Open a table (`again`: reload it, e.g. after a sync brought changes)."""
        if self.doc is not None and self.doc.table_id == table_id and not again:
            return
        self.history.clear()
        self.doc = TableDocument(self.store, table_id, self.catalogue.get)
        self.preferences.set(prefs.LAST_TABLE, table_id)
        self.table_opened.emit(self.doc)

    def close_table(self) -> None:
        self.history.clear()
        self.doc = None
        self.table_opened.emit(None)

    def create_table(self, name: str, width: int, depth: int) -> str:
        """A new table with the bundled library, opened. Raises `TableLimitReached` when the
        plan's limit is reached (checked offline, as the server will)."""
        table_id = self.store.create_table(name, width, depth, plan=self.plan())
        for asset_id in bundled_library():
            self.store.add_library_asset(table_id, asset_id)
        self.open_table(table_id)
        self.tables_changed.emit(None)
        return table_id

    def rename_table(self, table_id: str, name: str) -> None:
        table = self.store.table(table_id)
        if table is None or not name.strip() or name.strip() == table.name:
            return
        if self.doc is not None and self.doc.table_id == table_id:  # undoable when open
            self.push(commands.UpdateTable(self.doc, {"name": table.name}, {"name": name.strip()}))
        else:
            self.store.update_table(table_id, name=name.strip())
        self.tables_changed.emit(None)

    def archive_table(self, table_id: str) -> None:
        self.store.archive_table(table_id)
        if self.doc is not None and self.doc.table_id == table_id:
            self.close_table()
            self.open_last_table()
        self.tables_changed.emit(None)

    def archived_tables(self) -> list[LocalTable]:
        """Tables archived here or on another computer: they can be restored."""
        return [t for t in self.store.tables(include_archived=True) if t.status == "archived"]

    def restore_table(self, table_id: str) -> None:
        """Bring an archived table back and open it. Raises `TableLimitReached` (with the
        explanation) when the plan holds no more active tables: nothing changes then."""
        table = self.store.table(table_id)
        if table is None or table.status != "archived":
            return
        plan = self.plan()
        if plan is not None:
            plans.ensure_room(self.store, plan)
        self.store.restore_table(table_id)
        self.open_table(table_id)
        self.tables_changed.emit(None)

    def reload(self) -> None:
        """After a sync: the open table again, as the store now has it (or another one)."""
        current = self.doc.table_id if self.doc else None
        if current is not None and any(t.id == current for t in self.store.tables()):
            self.open_table(current, again=True)
        else:
            self.close_table()
            self.open_last_table()
        self.tables_changed.emit(None)

    # -- pieces --------------------------------------------------------------------------------

    def ensure_room(self, adding: int) -> None:
        """Raise `PieceLimitReached` unless `adding` more pieces fit on the open table: the
        one rule every way of adding pieces goes through (the window's and the CLI's)."""
        if self.doc is not None:
            plans.ensure_piece_room(self.store, self.doc.table_id, len(self.doc.pieces), adding)

    def push(self, command: Command) -> bool:
        """Do an undoable edit. One that would pass the table's piece limit is refused
        whole (`refused` says why) and False returned: nothing changes."""
        if commands.is_empty(command):
            return False
        if isinstance(command, commands.AddPieces):
            try:
                self.ensure_room(len(command.pieces))
            except plans.PieceLimitReached as limit:
                self.refused.emit(str(limit))
                return False
        self.history.push(command)
        if isinstance(command, commands.AddPieces):
            self.used(p.asset_id for p in command.pieces)
        return True

    def place(self, asset: LibraryAsset, x: float, y: float, grid: float = 0) -> None:
        if self.doc is not None:
            self.push(commands.place(self.doc, asset, x, y, grid))

    def rotate(self, degrees: float, snapping: bool = True, each_in_place: bool = False) -> None:
        """Turn the selection: a group about its centre, or each piece about its own."""
        if self.doc is not None and self.doc.selection:
            self.push(
                commands.rotate(
                    self.doc, self.doc.selection, degrees, snapping, each_in_place=each_in_place
                )
            )

    def set_fields(self, changes: PieceChanges) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(commands.set_fields(self.doc, self.doc.selection, changes))

    def duplicate(self) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(commands.duplicate(self.doc, self.doc.selection))

    def delete(self) -> None:
        if self.doc is not None and self.doc.selection:
            self.push(commands.RemovePieces(self.doc, sorted(self.doc.selection)))

    def copy(self) -> None:
        if self.doc is not None and self.doc.selection:
            self.clipboard = [self.doc.pieces[i] for i in sorted(self.doc.selection)]

    def paste(self) -> None:
        if self.doc is not None and self.clipboard:
            self.push(commands.paste(self.doc, self.clipboard))

    # -- the open table's assets ---------------------------------------------------------------

    def library(self) -> list[LibraryAsset]:
        if self.doc is None:
            return []
        found = (self.catalogue.get(i) for i in self.store.library(self.doc.table_id))
        return [a for a in found if a is not None]

    def recent(self) -> list[str]:
        if self.doc is None:
            return []
        return self.preferences.get(prefs.recent_assets(self.doc.table_id))

    def used(self, asset_ids: Iterable[str]) -> None:
        """Assets just used come first in the drawer here, and (through sync) in the server's
        recent list and popularity."""
        if self.doc is None:
            return
        used = list(dict.fromkeys(a for a in asset_ids if a))
        recent = used + [a for a in self.recent() if a not in used]
        self.preferences.set(prefs.recent_assets(self.doc.table_id), recent[:RECENT_LIMIT])
        self.store.record_usage(self.doc.table_id, used)
        self.library_changed.emit(None)

    def imported(self, asset: LibraryAsset) -> None:
        """A model the user imported joins the catalogue and the open table's library."""
        self.catalogue.reload()
        if self.doc is not None and asset.id not in self.store.library(self.doc.table_id):
            try:
                plans.ensure_library_room(self.store, self.doc.table_id)
            except plans.PieceLimitReached as limit:
                self.refused.emit(f"{asset.name} is in My models, not on this table: {limit}")
                return
            self.store.add_library_asset(self.doc.table_id, asset.id)
        if self.doc is not None:
            self.used([asset.id])
