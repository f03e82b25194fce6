"""An open table: its pieces and selection, evented, saved through a `Recorder`.

Every edit is a `Batch`, saved (and so queued for sync) before listeners hear of it, and
announced with one `pieces_changed` event however many pieces it touches. Undoable edits are
made by the commands in `commands.py`, not by calling `apply` directly.
"""

import uuid
from collections.abc import Callable
from typing import Any

from terrain_desktop.domain import geometry
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.events import Signal
from terrain_desktop.domain.piece import Batch, Piece, PiecesChanged
from terrain_desktop.domain.recorder import Recorder
from terrain_desktop.domain.spatial import FootprintIndex
from terrain_desktop.domain.table import LocalTable


class TableDocument:
    def __init__(
        self, recorder: Recorder, table_id: str, assets: Callable[[str], LibraryAsset | None]
    ) -> None:
        self.recorder = recorder
        self.table_id = table_id
        self.asset = assets
        self.pieces: dict[str, Piece] = {p.id: p for p in recorder.pieces(table_id)}
        self.selection: set[str] = set()
        self.stacking = FootprintIndex()
        for piece in self.pieces.values():
            self.stacking.put(piece.id, self.footprint(piece))
        self.pieces_changed: Signal[PiecesChanged] = Signal()
        self.table_changed: Signal[None] = Signal()
        self.selection_changed: Signal[None] = Signal()
        #: The exact height of the surface at a point (a view's ray cast on the meshes), when
        #: one is attached; otherwise pieces rest on their neighbours' bounding boxes.
        self.surface: Callable[[float, float, set[str]], float] | None = None

    @property
    def table(self) -> LocalTable:
        table = self.recorder.table(self.table_id)
        assert table is not None, "the open table exists in the store"
        return table

    # -- changes (called by commands) ----------------------------------------------------------

    def apply(self, batch: Batch) -> PiecesChanged:
        """Save the batch, then update the pieces and tell listeners, once."""
        changed = {i: c for i, c in batch.changed.items() if i in self.pieces and c}
        removed = tuple(i for i in batch.removed if i in self.pieces)
        batch = Batch(batch.added, changed, removed)
        if not batch:
            return PiecesChanged()
        self.recorder.record_pieces(self.table_id, batch)
        for piece in batch.added:
            self._put(piece)
        for piece_id, changes in changed.items():
            self._put(self.pieces[piece_id].changed(changes))
        for piece_id in removed:
            del self.pieces[piece_id]
            self.stacking.remove(piece_id)
        event = PiecesChanged(
            frozenset(p.id for p in batch.added), frozenset(changed), frozenset(removed)
        )
        self.pieces_changed.emit(event)
        if self.selection & set(removed):
            self.selection -= set(removed)
            self.selection_changed.emit(None)
        return event

    def _put(self, piece: Piece) -> None:
        self.pieces[piece.id] = piece
        self.stacking.put(piece.id, self.footprint(piece))

    def update_table(self, fields: dict[str, Any]) -> None:
        self.recorder.update_table(self.table_id, **fields)
        self.table_changed.emit(None)

    # -- selection -----------------------------------------------------------------------------

    def select(self, piece_ids: set[str], *, extend: bool = False) -> None:
        chosen = (self.selection | piece_ids) if extend else set(piece_ids)
        chosen &= set(self.pieces)
        if chosen != self.selection:
            self.selection = chosen
            self.selection_changed.emit(None)

    # -- questions -----------------------------------------------------------------------------

    def footprint(self, piece: Piece) -> geometry.Footprint | None:
        asset = self.asset(piece.asset_id)
        if asset is None:
            return None
        return geometry.footprint(
            piece.x, piece.y, piece.z, asset.size_mm, piece.rotation, piece.scale
        )

    def resting_height(self, x: float, y: float, ignore: set[str] | None = None) -> float:
        """Where a piece dropped at x, y comes to rest: on the table, or on a piece there.
        With a view attached, on the mesh surface beneath (`surface`); otherwise on the
        bounding boxes the spatial index finds near x, y."""
        skip = ignore or set()
        if self.surface is not None:
            return self.surface(x, y, skip)
        return max((f.top for i, f in self.stacking.at(x, y) if i not in skip), default=0.0)

    @staticmethod
    def new_piece_id() -> str:
        return uuid.uuid4().hex[:16]
