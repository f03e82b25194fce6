"""Undoable edits. Each knows how to do and undo itself on a `TableDocument`.

The UI wraps them for Qt's undo stack; `UndoStack` here serves tests and scripts.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from terrain_desktop.domain import geometry
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import PIECE_FIELDS, Piece, TableDocument


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
        for piece in self.pieces:
            self.doc.insert(piece)
        self.doc.select({p["id"] for p in self.pieces})

    def undo(self) -> None:
        for piece in self.pieces:
            self.doc.delete(piece["id"])


@dataclass
class ChangePieces:
    """Moves, rotations and scaling: the fields of each piece before and after."""

    doc: TableDocument
    before: dict[str, dict[str, float]]
    after: dict[str, dict[str, float]]
    text: str = "Move"

    def redo(self) -> None:
        for piece_id, fields in self.after.items():
            self.doc.change(piece_id, fields)

    def undo(self) -> None:
        for piece_id, fields in self.before.items():
            self.doc.change(piece_id, fields)


@dataclass
class RemovePieces:
    doc: TableDocument
    piece_ids: list[str]
    text: str = "Delete"
    removed: list[Piece] = field(default_factory=list)

    def redo(self) -> None:
        self.removed = [dict(self.doc.pieces[i]) for i in self.piece_ids if i in self.doc.pieces]
        for piece in self.removed:
            self.doc.delete(piece["id"])

    def undo(self) -> None:
        for piece in self.removed:
            self.doc.insert(piece)


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


# -- builders: what the editor's gestures turn into --------------------------------------------


def place(
    doc: TableDocument, asset: LibraryAsset, x: float, y: float, grid: float = 0
) -> AddPieces:
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    piece = {
        "id": doc.new_piece_id(),
        "modelId": asset.id,
        "x": x,
        "y": y,
        "z": doc.resting_height(x, y),
        "rotation": 0.0,
        "scale": 1.0,
    }
    return AddPieces(doc, [piece], f"Add {asset.name}")


def fields_of(piece: Piece) -> dict[str, float]:
    return {k: float(piece.get(k, 1.0 if k == "scale" else 0.0)) for k in PIECE_FIELDS}


def move_to(doc: TableDocument, piece_id: str, x: float, y: float, grid: float = 0) -> ChangePieces:
    """Drag a piece to x, y: snapped, and resting on whatever is beneath it there."""
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    before = fields_of(doc.pieces[piece_id])
    after = {**before, "x": x, "y": y, "z": doc.resting_height(x, y, ignore={piece_id})}
    return ChangePieces(doc, {piece_id: before}, {piece_id: after}, "Move")


def move_group(
    doc: TableDocument, piece_ids: set[str], anchor: str, x: float, y: float, grid: float = 0
) -> ChangePieces:
    """Drag several pieces by one of them: the one grabbed snaps, the others keep their
    places relative to it, each coming to rest on whatever is beneath it."""
    x, y = geometry.snap(x, grid), geometry.snap(y, grid)
    dx, dy = x - doc.pieces[anchor]["x"], y - doc.pieces[anchor]["y"]
    before = {i: fields_of(doc.pieces[i]) for i in sorted(piece_ids)}
    after = {}
    for piece_id, fields in before.items():
        nx, ny = fields["x"] + dx, fields["y"] + dy
        after[piece_id] = {
            **fields,
            "x": nx,
            "y": ny,
            "z": doc.resting_height(nx, ny, ignore=piece_ids),
        }
    return ChangePieces(doc, before, after, "Move")


def rotate(doc: TableDocument, piece_ids: set[str], degrees: float, snapping: bool) -> ChangePieces:
    before = {i: fields_of(doc.pieces[i]) for i in sorted(piece_ids)}
    after = {}
    for piece_id, fields in before.items():
        angle = fields["rotation"] + degrees
        after[piece_id] = {
            **fields,
            "rotation": geometry.snap_angle(angle) if snapping else angle % 360,
        }
    return ChangePieces(doc, before, after, "Rotate")


def set_fields(doc: TableDocument, piece_ids: set[str], changes: dict[str, float]) -> ChangePieces:
    before = {i: fields_of(doc.pieces[i]) for i in sorted(piece_ids)}
    after = {i: {**f, **changes} for i, f in before.items()}
    return ChangePieces(doc, before, after, "Edit " + ", ".join(sorted(changes)))


def duplicate(doc: TableDocument, piece_ids: set[str], offset: float = 30.0) -> AddPieces:
    copies = []
    for piece_id in sorted(piece_ids):
        copy = dict(doc.pieces[piece_id])
        copy["id"] = doc.new_piece_id()
        copy["x"] = copy["x"] + offset
        copy["y"] = copy["y"] - offset
        copies.append(copy)
    return AddPieces(doc, copies, "Duplicate")


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
