"""The open table's library as a user manages it: list and filter it, remove an asset and undo
that for five minutes, add a curated set. No Qt; the network parts are returned as work for
the window to run in the background.

Removing is an edit like any other (saved with its outbox mutation, synced later). Undo asks
the server first, through its restore endpoint, so an expired window is said at once; when the
server cannot be reached, or the removal never reached it, the undo is made here and syncs like
the removal did (the server applies the same five-minute rule when it arrives).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from terrain_desktop.app.editor import Editor
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library
from terrain_desktop.store.local_store import LOCAL_ONLY
from terrain_desktop.sync import mesh_client
from terrain_desktop.sync.client import ApiRefused, ApiUnavailable
from terrain_protocol.library import UNDO_WINDOW_SECONDS

#: Where an asset in a library comes from, as the filter names it.
SOURCES = {"sample": "Sample library", "catalogue": "Catalogue", "imported": "My imports"}


class UndoExpired(Exception):
    """Past the five minutes a removal can be undone in."""


@dataclass(frozen=True)
class Entry:
    asset: LibraryAsset
    source: str
    #: False while the asset's mesh is not on this computer (a placeholder stands in for it).
    on_device: bool


@dataclass(frozen=True)
class Removal:
    table_id: str
    asset_id: str
    name: str
    #: `time.time()` when it was removed; undo works until `undo_until`.
    removed_at: float

    @property
    def undo_until(self) -> float:
        return self.removed_at + UNDO_WINDOW_SECONDS


def source_of(asset: LibraryAsset) -> str:
    if asset.id in bundled_library():
        return "sample"
    return "imported" if asset.private else "catalogue"


class TableLibrary:
    def __init__(
        self, editor: Editor, sync: SyncOperation, clock: Callable[[], float] = time.time
    ) -> None:
        self.editor = editor
        self.sync = sync
        self.clock = clock

    # -- reading -------------------------------------------------------------------------------

    def entries(self, text: str = "", category: str = "", source: str = "") -> list[Entry]:
        """The open table's library, filtered: `text` in the name or a tag, `category`,
        `source` (a key of `SOURCES`); empty means any. Sorted by category, then name."""
        needle = text.strip().casefold()
        found = []
        for asset in self.editor.library():
            if category and asset.category != category:
                continue
            if source and source_of(asset) != source:
                continue
            if (
                needle
                and needle not in asset.name.casefold()
                and not any(needle in t.casefold() for t in asset.tags)
            ):
                continue
            found.append(Entry(asset, source_of(asset), asset.mesh_path.is_file()))
        return sorted(found, key=lambda e: (e.asset.category, e.asset.name.casefold()))

    def categories(self) -> list[str]:
        return sorted({a.category for a in self.editor.library()})

    # -- remove and undo -----------------------------------------------------------------------

    def remove(self, asset_id: str) -> Removal | None:
        doc = self.editor.doc
        if doc is None:
            return None
        asset = self.editor.catalogue.get(asset_id)
        self.editor.store.remove_library_asset(doc.table_id, asset_id)
        self.editor.library_changed.emit(None)
        return Removal(doc.table_id, asset_id, asset.name if asset else asset_id, self.clock())

    def can_undo(self, removal: Removal) -> bool:
        return self.clock() <= removal.undo_until

    def undo_work(self, removal: Removal) -> Callable[[], bool]:
        """The network part of an undo, for the background: True when the server restored
        it, False when it could not be asked (offline, or it never heard of the removal).
        Raises `UndoExpired` when too late."""
        if not self.can_undo(removal):
            raise UndoExpired(f"Too late to bring back “{removal.name}”: five minutes passed.")
        table = self.editor.store.table(removal.table_id)
        if table is None or table.sync_state in ("local", LOCAL_ONLY):
            return lambda: False  # the server has never seen this table
        client = self.sync.api_client()

        def work() -> bool:
            try:
                mesh_client.restore_asset(client, removal.table_id, removal.asset_id)
                return True
            except ApiUnavailable:
                return False
            except ApiRefused as refusal:
                if refusal.code == "undo_expired":
                    raise UndoExpired(refusal.message) from refusal
                return False  # e.g. the table or the removal has not been pushed yet
            finally:
                client.close()

        return work

    def undone(self, removal: Removal, on_server: bool) -> str:
        """Bring the asset back here (queued, so a device that was offline tells the server);
        the message for the user."""
        self.editor.store.restore_library_asset(removal.table_id, removal.asset_id)
        if self.editor.doc is not None and self.editor.doc.table_id == removal.table_id:
            self.editor.library_changed.emit(None)
        where = "" if on_server else " (here; the server hears of it at the next sync)"
        return f"“{removal.name}” is back in the library{where}."
