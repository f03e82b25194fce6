"""Undoable edits. Each does and undoes itself on a `TableDocument` as one batch, so a group
edit is one undo step, one save and one redraw.

The UI wraps them for Qt's undo stack; `UndoStack` here serves tests, scripts and the CLI.
"""

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from terrain_desktop.domain import geometry, group
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import Batch, Piece, PieceChanges


class Command(Protocol):
    text: str

    def redo(self) -> None: ...
    def undo(self) -> None: ...


@dataclass
class AddPieces:
    doc: TableDocument
    pieces: list[Piece]
    text: str = "Add piece"

    def redo(self) -> None:
        self.doc.apply(Batch(added=tuple(self.pieces)))
        self.doc.select({p.id for p in self.pieces})

    def undo(self) -> None:
        self.doc.apply(Batch(removed=tuple(p.id for p in self.pieces)))


@dataclass
class ChangePieces:
    """Moves, turns and scaling: for each piece, the fields that change, before and after."""

    doc: TableDocument
    before: dict[str, PieceChanges]
    after: dict[str, PieceChanges]
    text: str = "Move"

    def redo(self) -> None:
        self.doc.apply(Batch(changed=self.after))

    def undo(self) -> None:
        self.doc.apply(Batch(changed=self.before))


@dataclass
class RemovePieces:
    doc: TableDocument
    piece_ids: list[str]
    text: str = "Delete"
    removed: list[Piece] = field(default_factory=list)

    def redo(self) -> None:
        self.removed = [self.doc.pieces[i] for i in self.piece_ids if i in self.doc.pieces]
        self.doc.apply(Batch(removed=tuple(p.id for p in self.removed)))

    def undo(self) -> None:
        self.doc.apply(Batch(added=tuple(self.removed)))


@dataclass
class UpdateTable:
    doc: TableDocument
    before: dict[str, Any]
    after: dict[str, Any]
    text: str = "Change table"

    def redo(self) -> None:
        self.doc.update_table(self.after)

    def undo(self) -> None:
        self.doc.update_table(self.before)


def is_empty(command: Command) -> bool:
    """An edit that changes nothing (a drag dropped where it started) is not worth a step."""
    return isinstance(command, ChangePieces) and not command.after


# -- builders: what the editor's gestures turn into --------------------------------------------


def change(doc: TableDocument, wanted: Mapping[str, PieceChanges], text: str) -> ChangePieces:
    """Only the fields that really change, with their present values kept for the undo."""
    after: dict[str, PieceChanges] = {}
    before: dict[str, PieceChanges] = {}
    for piece_id, changes in wanted.items():
        piece = doc.pieces[piece_id]
        different = piece.differences(changes)
        if different:
            after[piece_id] = different
            before[piece_id] = piece.current(list(different))
    return ChangePieces(doc, before, after, text)


def place(
    doc: TableDocument, asset: LibraryAsset, x: float, y: float, grid: float = 0
) -> AddPieces:
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    piece = Piece(doc.new_piece_id(), asset.id, x, y, doc.resting_height(x, y))
    return AddPieces(doc, [piece], f"Add {asset.name}")


def move_to(doc: TableDocument, piece_id: str, x: float, y: float, grid: float = 0) -> ChangePieces:
    """Drag a piece to x, y: snapped, and resting on whatever is beneath it there."""
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    z = doc.resting_height(x, y, ignore={piece_id})
    return change(doc, {piece_id: {"x": x, "y": y, "z": z}}, "Move")


def move_group(
    doc: TableDocument, piece_ids: set[str], anchor: str, x: float, y: float, grid: float = 0
) -> ChangePieces:
    """Drag several pieces by one of them: the one grabbed snaps, the others keep their
    places relative to it; pieces stacked on others of the group stay on them, the rest come
    to rest on whatever is beneath them."""
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    dx, dy = x - doc.pieces[anchor].x, y - doc.pieces[anchor].y
    places = {i: (doc.pieces[i].x + dx, doc.pieces[i].y + dy) for i in sorted(piece_ids)}
    return change(doc, group.rested(doc, places), "Move")


def rotate(
    doc: TableDocument,
    piece_ids: Iterable[str],
    degrees: float,
    snapping: bool,
    *,
    each_in_place: bool = False,
) -> ChangePieces:
    """Turn the selection by `degrees`: a lone piece (or each piece, `each_in_place`) about
    its own centre, a group about its common centre so it keeps its shape."""
    ids = sorted(piece_ids)
    if len(ids) == 1 or each_in_place:
        wanted: dict[str, PieceChanges] = {}
        for piece_id in ids:
            angle = doc.pieces[piece_id].rotation + degrees
            wanted[piece_id] = {"rotation": geometry.snap_angle(angle) if snapping else angle % 360}
        return change(doc, wanted, "Rotate")
    step = geometry.snap_angle(degrees) if snapping else degrees
    return turn_group(doc, ids, step)


def turn_group(doc: TableDocument, piece_ids: Iterable[str], degrees: float) -> ChangePieces:
    """The group turned by exactly `degrees` about its centre, stacked pieces carried."""
    turned = group.turned(doc, piece_ids, degrees)
    places = {
        i: (c.get("x", doc.pieces[i].x), c.get("y", doc.pieces[i].y)) for i, c in turned.items()
    }
    wanted = group.rested(doc, places)
    for piece_id, changes in turned.items():
        wanted[piece_id]["rotation"] = changes["rotation"]
    return change(doc, wanted, "Rotate")


def set_fields(doc: TableDocument, piece_ids: Iterable[str], changes: PieceChanges) -> ChangePieces:
    return change(
        doc, {i: changes for i in sorted(piece_ids)}, "Edit " + ", ".join(sorted(changes))
    )


def duplicate(doc: TableDocument, piece_ids: Iterable[str], offset: float = 30.0) -> AddPieces:
    copies = [
        doc.pieces[i].changed({"x": doc.pieces[i].x + offset, "y": doc.pieces[i].y - offset})
        for i in sorted(piece_ids)
    ]
    return AddPieces(doc, [_renamed(c, doc.new_piece_id()) for c in copies], "Duplicate")


def paste(doc: TableDocument, copied: Iterable[Piece], offset: float = 30.0) -> AddPieces:
    pieces = [
        _renamed(p.changed({"x": p.x + offset, "y": p.y - offset}), doc.new_piece_id())
        for p in copied
    ]
    return AddPieces(doc, pieces, "Paste")


def _renamed(piece: Piece, new_id: str) -> Piece:
    return dataclasses.replace(piece, id=new_id)


class UndoStack:
    """A plain undo stack with the same behaviour as Qt's (push does, undo/redo move)."""

    def __init__(self) -> None:
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, command: Command) -> None:
        command.redo()
        self._done.append(command)
        self._undone.clear()

    def undo(self) -> None:
        if self._done:
            command = self._done.pop()
            command.undo()
            self._undone.append(command)

    def redo(self) -> None:
        if self._undone:
            command = self._undone.pop()
            command.redo()
            self._done.append(command)

    def count(self) -> int:
        return len(self._done)

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
