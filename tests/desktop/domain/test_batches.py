"""Edits as batches: only the changed fields reach the outbox, a group edit is one save, one
event and one undo step, and stacking asks a spatial index that agrees with a full scan."""

import random
from pathlib import Path

import pytest

from terrain_desktop.app_data import asset_lookup
from terrain_desktop.domain import commands, geometry
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import Piece, PiecesChanged
from terrain_desktop.domain.spatial import FootprintIndex
from terrain_desktop.store.local_store import LocalStore
from terrain_protocol import sync as protocol

LIBRARY = {a.name: a for a in bundled_library().values()}


@pytest.fixture
def doc(tmp_path: Path) -> TableDocument:
    store = LocalStore(tmp_path / "store.sqlite")
    return TableDocument(store, store.create_table("T"), asset_lookup)


def outbox_changes(doc: TableDocument) -> list[dict[str, float]]:
    store = doc.recorder
    assert isinstance(store, LocalStore)
    return [
        m.changes.model_dump(exclude_none=True)
        for m in store.pending()
        if isinstance(m, protocol.MovePlacement)
    ]


def test_a_move_sends_only_the_position_and_a_turn_only_the_rotation(doc: TableDocument) -> None:
    stack = commands.UndoStack()
    stack.push(commands.place(doc, LIBRARY["Barrel"], 100, 100))
    [piece_id] = doc.pieces

    stack.push(commands.move_to(doc, piece_id, 400, 300))
    stack.push(commands.rotate(doc, {piece_id}, 30, snapping=True))

    assert outbox_changes(doc) == [{"x": 400, "y": 300}, {"rotation": 30}]


def test_a_group_edit_is_one_event_one_transaction_and_one_undo_step(
    doc: TableDocument,
) -> None:
    stack = commands.UndoStack()
    barrel = LIBRARY["Barrel"]
    stack.push(
        commands.AddPieces(doc, [Piece(f"p{i}", barrel.id, i * 40.0, 50) for i in range(20)])
    )
    events: list[PiecesChanged] = []
    doc.pieces_changed.connect(events.append)
    doc.select(set(doc.pieces))
    steps = stack.count()

    stack.push(commands.rotate(doc, doc.selection, 45, snapping=True))
    stack.push(commands.duplicate(doc, doc.selection))
    stack.push(commands.RemovePieces(doc, sorted(doc.selection)))

    assert [len(e.touched) for e in events] == [20, 20, 20]
    assert stack.count() == steps + 3
    assert len(doc.pieces) == 20 and all(p.rotation == 45 for p in doc.pieces.values())
    stack.undo()  # the delete: all twenty copies come back at once
    assert len(doc.pieces) == 40 and len(events) == 4
    stack.undo()
    stack.undo()
    assert len(doc.pieces) == 20 and all(p.rotation == 0 for p in doc.pieces.values())
    assert {p.id: p for p in doc.recorder.pieces(doc.table_id)} == doc.pieces


def test_a_drop_where_the_piece_already_is_changes_nothing(doc: TableDocument) -> None:
    commands.place(doc, LIBRARY["Barrel"], 100, 100).redo()
    [piece_id] = doc.pieces

    assert commands.is_empty(commands.move_to(doc, piece_id, 100, 100))


def test_the_stacking_index_agrees_with_looking_at_every_piece() -> None:
    rng = random.Random(7)
    index = FootprintIndex(cell=50)
    prints: dict[str, geometry.Footprint] = {}
    for n in range(300):
        size = (rng.uniform(5, 300), rng.uniform(5, 300), rng.uniform(1, 80))
        fp = geometry.footprint(
            rng.uniform(-100, 1300), rng.uniform(-100, 1000), 0, size, rng.uniform(0, 360), 1.0
        )
        prints[f"p{n}"] = fp
        index.put(f"p{n}", fp)
    for n in range(0, 300, 3):  # some move away, some are removed
        index.remove(f"p{n}")
        del prints[f"p{n}"]
    for n in range(1, 300, 3):
        moved = geometry.Footprint(prints[f"p{n}"].x + 333, 20, 30, 30, 40)
        prints[f"p{n}"] = moved
        index.put(f"p{n}", moved)

    for _ in range(2000):
        x, y = rng.uniform(-200, 1700), rng.uniform(-200, 1100)
        expected = {k for k, f in prints.items() if f.contains(x, y)}
        assert {k for k, _ in index.at(x, y)} == expected
    assert len(index) == len(prints)
