"""The editor's model without Qt: commands, undo, snapping, stacking, presets."""

from pathlib import Path

import pytest

from terrain_desktop.app_data import asset_lookup
from terrain_desktop.domain import commands, geometry
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.presets import PRESETS
from terrain_desktop.domain.units import LengthUnit, format_length
from terrain_desktop.store.local_store import LocalStore

LIBRARY = {a.name: a for a in bundled_library().values()}


@pytest.fixture
def doc(tmp_path: Path) -> TableDocument:
    store = LocalStore(tmp_path / "store.sqlite")
    return TableDocument(store, store.create_table("T"), asset_lookup)


def test_the_bundled_library_has_at_least_fifteen_pieces_at_miniature_scale() -> None:
    assert len(LIBRARY) >= 15
    for asset in LIBRARY.values():
        assert asset.mesh_path.is_file() and asset.thumbnail_path.is_file()
        assert 5 <= max(asset.size_mm) <= 250, asset.name


def test_every_edit_undoes_and_redoes(doc: TableDocument) -> None:
    stack = commands.UndoStack()
    stack.push(commands.place(doc, LIBRARY["Barrel"], 103, 212, grid=25))
    [piece_id] = doc.pieces
    stack.push(commands.move_to(doc, piece_id, 400, 400, grid=25))
    stack.push(commands.rotate(doc, {piece_id}, 20, snapping=True))
    stack.push(commands.set_fields(doc, {piece_id}, {"scale": 2.0}))
    stack.push(commands.duplicate(doc, {piece_id}))
    stack.push(commands.RemovePieces(doc, [piece_id]))

    assert len(doc.pieces) == 1
    for _ in range(6):
        stack.undo()
    assert doc.pieces == {}
    for _ in range(6):
        stack.redo()
    [(copy_id, copy)] = doc.pieces.items()
    assert copy_id != piece_id and (copy.x, copy.y, copy.rotation) == (430, 370, 15)
    assert {p.id for p in doc.recorder.pieces(doc.table_id)} == {copy_id}  # saved too


def test_placing_snaps_to_the_grid(doc: TableDocument) -> None:
    commands.place(doc, LIBRARY["Barrel"], 103, 212, grid=25).redo()

    [piece] = doc.pieces.values()
    assert (piece.x, piece.y, piece.z) == (100, 200, 0)


def test_a_piece_dropped_on_another_rests_on_its_top(doc: TableDocument) -> None:
    crate = LIBRARY["Wooden crate"]
    commands.place(doc, crate, 300, 300).redo()
    commands.place(doc, LIBRARY["Barrel"], 305, 298).redo()

    barrel = next(p for p in doc.pieces.values() if p.asset_id == LIBRARY["Barrel"].id)
    assert barrel.z == pytest.approx(crate.size_mm[2])


def test_rotation_snaps_to_fifteen_degrees_unless_free(doc: TableDocument) -> None:
    commands.place(doc, LIBRARY["Barrel"], 0, 0).redo()
    [piece_id] = doc.pieces
    commands.rotate(doc, {piece_id}, 20, snapping=True).redo()
    assert doc.pieces[piece_id].rotation == 15
    commands.rotate(doc, {piece_id}, 7, snapping=False).redo()
    assert doc.pieces[piece_id].rotation == 22


def test_geometry_helpers() -> None:
    assert geometry.snap(37, 25) == 25 and geometry.snap(38, 25) == 50
    assert geometry.snap_angle(352) == 345 and geometry.snap_angle(-10) == 345
    assert format_length(1219.2, LengthUnit.INCH) == '48.0"'
    assert format_length(1200, LengthUnit.MM) == "1200 mm"


def test_presets_are_the_common_table_sizes() -> None:
    sizes = {p.name: (p.width_mm, p.depth_mm) for p in PRESETS}
    assert sizes["1200 × 900 mm"] == (1200, 900)
    assert sizes["6 × 4 ft"] == (1829, 1219)
    assert sizes["44 × 30 in"] == (1118, 762)
