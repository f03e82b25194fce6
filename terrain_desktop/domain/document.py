"""An open table: its pieces and selection, evented, saved through the local store.

Every change goes through the store (and so into the sync outbox) before listeners hear of
it. Undoable edits are made by the commands in `commands.py`, not by calling these directly.
"""

import uuid
from collections.abc import Callable
from typing import Any

from terrain_desktop.domain import geometry
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.events import Signal
from terrain_desktop.store.local_store import LocalStore, LocalTable

Piece = dict[str, Any]
PIECE_FIELDS = ("x", "y", "z", "rotation", "scale")


class TableDocument:
    def __init__(
        self, store: LocalStore, table_id: str, assets: Callable[[str], LibraryAsset | None]
    ) -> None:
        self.store = store
        self.table_id = table_id
        self.asset = assets
        self.pieces: dict[str, Piece] = {p["id"]: p for p in store.placements(table_id)}
        self.selection: set[str] = set()
        self.piece_added = Signal()  # (piece id)
        self.piece_changed = Signal()  # (piece id)
        self.piece_removed = Signal()  # (piece id)
        self.table_changed = Signal()  # ()
        self.selection_changed = Signal()  # ()
        #: The exact height of the surface at a point (a view's ray cast on the meshes), when
        #: one is attached; otherwise pieces rest on their neighbours' bounding boxes.
        self.surface: Callable[[float, float, set[str]], float] | None = None

    @property
    def table(self) -> LocalTable:
        table = self.store.table(self.table_id)
        assert table is not None, "the open table exists in the store"
        return table

    # -- changes (called by commands) ----------------------------------------------------------

    def insert(self, piece: Piece) -> None:
        fields = {k: v for k, v in piece.items() if k not in ("id", "modelId")}
        self.store.add_placement(self.table_id, piece["modelId"], id=piece["id"], **fields)
        self.pieces[piece["id"]] = self.store_piece(piece["id"])
        self.piece_added.emit(piece["id"])

    def change(self, piece_id: str, fields: dict[str, float]) -> None:
        self.store.move_placement(self.table_id, piece_id, **fields)
        self.pieces[piece_id] = {**self.pieces[piece_id], **fields}
        self.piece_changed.emit(piece_id)

    def delete(self, piece_id: str) -> None:
        self.store.remove_placement(self.table_id, piece_id)
        self.pieces.pop(piece_id, None)
        if piece_id in self.selection:
            self.selection.discard(piece_id)
            self.selection_changed.emit()
        self.piece_removed.emit(piece_id)

    def update_table(self, fields: dict[str, Any]) -> None:
        self.store.update_table(self.table_id, **fields)
        self.table_changed.emit()

    def store_piece(self, piece_id: str) -> Piece:
        return next(p for p in self.store.placements(self.table_id) if p["id"] == piece_id)

    # -- selection -----------------------------------------------------------------------------

    def select(self, piece_ids: set[str], *, extend: bool = False) -> None:
        chosen = (self.selection | piece_ids) if extend else set(piece_ids)
        chosen &= set(self.pieces)
        if chosen != self.selection:
            self.selection = chosen
            self.selection_changed.emit()

    # -- questions -----------------------------------------------------------------------------

    def footprint(self, piece: Piece) -> geometry.Footprint | None:
        asset = self.asset(piece["modelId"])
        if asset is None:
            return None
        return geometry.footprint(
            piece["x"],
            piece["y"],
            piece.get("z", 0.0),
            asset.size_mm,
            piece.get("rotation", 0.0),
            piece.get("scale", 1.0),
        )

    def resting_height(self, x: float, y: float, ignore: set[str] | None = None) -> float:
        """Where a piece dropped at x, y comes to rest: on the table, or on a piece there."""
        if self.surface is not None:
            return self.surface(x, y, ignore or set())
        others = [
            f
            for pid, p in self.pieces.items()
            if pid not in (ignore or set()) and (f := self.footprint(p)) is not None
        ]
        return geometry.resting_height(x, y, others)

    @staticmethod
    def new_piece_id() -> str:
        return uuid.uuid4().hex[:16]
