"""A piece: an asset placed on a table, as an immutable value.

The wire calls it a *placement* and names its asset `modelId` (kept for compatibility with the
original system); in the desktop it is a `Piece` with an `asset_id`. Edits never mutate a piece:
they are `PieceChanges` (only the fields that change), applied in a `Batch`.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypedDict, cast

FieldName = Literal["x", "y", "z", "rotation", "scale"]
PIECE_FIELDS: Final[tuple[FieldName, ...]] = ("x", "y", "z", "rotation", "scale")
_WIRE_KEYS = {"id", "modelId", *PIECE_FIELDS}


class PieceChanges(TypedDict, total=False):
    """The fields an edit changes, and only those: a move holds x and y (and z when the piece
    comes to rest at another height), a turn holds rotation. Sync sends exactly these, so the
    server can merge a move on one device with a turn on another."""

    x: float
    y: float
    z: float
    rotation: float
    scale: float


@dataclass(frozen=True)
class Piece:
    id: str
    asset_id: str
    x: float = 0.0
    y: float = 0.0
    z: float = 0.0
    rotation: float = 0.0
    scale: float = 1.0
    #: Keys the wire carries that the editor does not use (colour, locked, …), kept as sent.
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> "Piece":
        return cls(
            id=str(data["id"]),
            asset_id=str(data["modelId"]),
            x=float(data.get("x", 0.0)),
            y=float(data.get("y", 0.0)),
            z=float(data.get("z", 0.0)),
            rotation=float(data.get("rotation", 0.0)),
            scale=float(data.get("scale", 1.0)),
            extra={k: v for k, v in data.items() if k not in _WIRE_KEYS},
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            **self.extra,
            "id": self.id,
            "modelId": self.asset_id,
            "x": self.x,
            "y": self.y,
            "z": self.z,
            "rotation": self.rotation,
            "scale": self.scale,
        }

    def value(self, name: FieldName) -> float:
        return float(getattr(self, name))

    def changed(self, changes: PieceChanges) -> "Piece":
        return dataclasses.replace(self, **changes)

    def differences(self, changes: PieceChanges) -> PieceChanges:
        """`changes` without the fields that already hold those values."""
        return cast(PieceChanges, {k: v for k, v in changes.items() if getattr(self, k) != v})

    def current(self, names: "tuple[FieldName, ...] | list[str]") -> PieceChanges:
        """This piece's values of the named fields (what an undo of changing them restores)."""
        return cast(PieceChanges, {n: float(getattr(self, n)) for n in names})


@dataclass(frozen=True)
class Batch:
    """One edit of a table, applied, saved and announced at once: a group edit of 100 pieces
    is one store transaction, one event and one redraw."""

    added: tuple[Piece, ...] = ()
    changed: Mapping[str, PieceChanges] = field(default_factory=dict)
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class PiecesChanged:
    """What a batch did, by piece id: the event views listen to."""

    added: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @property
    def touched(self) -> frozenset[str]:
        return self.added | self.changed | self.removed
