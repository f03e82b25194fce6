"""A turn on one device and a drag on another, both made through the desktop's commands and
synced through the real server: each sends only its own fields, so both survive."""

from pathlib import Path

from terrain_desktop.app_data import asset_lookup
from terrain_desktop.domain import commands
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.document import TableDocument
from tests.integration.conftest import LiveServer, make_device, register

BARREL = next(a for a in bundled_library().values() if a.name == "Barrel")


def test_a_turn_here_and_a_drag_there_both_survive(tmp_path: Path, live: LiveServer) -> None:
    token, user_id = register(live.url)
    a = make_device(tmp_path, "a", live.url, token=token, user_id=user_id)
    b = make_device(tmp_path, "b", live.url, token=token, user_id=user_id)
    table = a.store.create_table("Field merge")
    a.store.add_library_asset(table, BARREL.id)
    on_a = TableDocument(a.store, table, asset_lookup)
    commands.place(on_a, BARREL, 100, 100).redo()
    [piece_id] = on_a.pieces
    a.sync()
    b.sync()
    on_b = TableDocument(b.store, table, asset_lookup)
    assert set(on_b.pieces) == {piece_id}

    # Offline on both: device A turns the piece, device B drags it elsewhere.
    commands.rotate(on_a, {piece_id}, 90, snapping=True).redo()
    commands.move_to(on_b, piece_id, 600, 400).redo()
    a.sync()
    b.sync()
    a.sync()

    for store in (a.store, b.store):
        [piece] = store.pieces(table)
        assert (piece.x, piece.y, piece.rotation) == (600, 400, 90)
