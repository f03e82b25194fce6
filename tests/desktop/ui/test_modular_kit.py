"""The bundled modular kit in the drawer, tiles clicking together, and the sample dungeon
built from them, opened from the File menu."""

import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.ui.main_window import MainWindow
from tests.desktop.ui.test_journeys import create_table_from_preset, drag_from_drawer

INCH = 25.4
KIT = {
    "Floor tile 1×1": (1, 1),
    "Floor tile 2×2": (2, 2),
    "Floor tile 2×4": (2, 4),
    "Straight wall": (2, 0.5),
    "Corner wall": (2, 2),
    "Doorway": (2, 0.5),
    "Pillar": (1, 1),
}


def test_the_drawer_has_the_modular_kit_in_its_own_category_on_an_inch_grid(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    drawer = window.drawer
    labels = [drawer.category.itemText(i) for i in range(drawer.category.count())]
    assert "Modular dungeon" in labels

    drawer.category.setCurrentText("Modular dungeon")

    shown = [drawer.list.item(i).text() for i in range(drawer.list.count())]
    assert sorted(shown) == sorted(KIT)
    by_name = {a.name: a for a in bundled_library().values()}
    for name, (squares_x, squares_y) in KIT.items():
        w, d, _ = by_name[name].size_mm
        assert (w, d) == pytest.approx((squares_x * INCH, squares_y * INCH), abs=0.05), name


def test_two_floor_tiles_dropped_near_each_other_click_together(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    create_table_from_preset(qtbot, window, "Dungeon", "1200 × 900 mm")
    doc = window.doc
    assert doc is not None
    window.actions_.snap.trigger()  # no grid: edge snapping alone
    tile = next(a for a in bundled_library().values() if a.name == "Floor tile 2×2")
    drag_from_drawer(window, window.drawer, tile.id, 400, 400)
    qtbot.waitUntil(lambda: len(doc.pieces) == 1)
    drag_from_drawer(window, window.drawer, tile.id, 400 + 2 * INCH + 5, 404)
    qtbot.waitUntil(lambda: len(doc.pieces) == 2)

    first, second = sorted(doc.pieces.values(), key=lambda p: p.x)
    assert (second.x - first.x, second.y - first.y) == pytest.approx((2 * INCH, 0), abs=1e-6)


def test_the_sample_dungeon_opens_from_the_file_menu_ready_to_play(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    window.actions_.sample_dungeon.trigger()

    doc = window.doc
    assert doc is not None and doc.table.name == "Sample dungeon"
    names = {doc.asset(p.asset_id).name for p in doc.pieces.values()}  # type: ignore[union-attr]
    assert set(KIT) <= names
    standing = {"Straight wall", "Corner wall", "Doorway", "Pillar"}
    walls = [p for p in doc.pieces.values() if doc.asset(p.asset_id).name in standing]  # type: ignore[union-attr]
    assert len(walls) > 20 and all(p.z == 6.0 for p in walls)  # on the floor tiles
    assert window.windowTitle().startswith("Sample dungeon")
    qtbot.waitUntil(lambda: window.checks.summary.text().startswith("No findings"), timeout=20000)

    tables = len(window.store.tables())
    window.actions_.sample_dungeon.trigger()  # asked again: the same table, not another
    assert len(window.store.tables()) == tables


def test_a_wall_dropped_on_a_floor_tile_stands_on_it(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    create_table_from_preset(qtbot, window, "Crypt", "1200 × 900 mm")
    doc = window.doc
    assert doc is not None
    window.actions_.snap.trigger()
    window.actions_.edge_snap.trigger()  # exactly where dropped
    by_name = {a.name: a for a in bundled_library().values()}
    drag_from_drawer(window, window.drawer, by_name["Floor tile 2×2"].id, 400, 400)
    qtbot.waitUntil(lambda: len(doc.pieces) == 1)
    drag_from_drawer(window, window.drawer, by_name["Straight wall"].id, 400, 400 - 0.75 * INCH)
    qtbot.waitUntil(lambda: len(doc.pieces) == 2)

    wall = next(p for p in doc.pieces.values() if p.asset_id == by_name["Straight wall"].id)
    assert wall.z == pytest.approx(6.0, abs=0.05)  # on the flagstones, 6 mm up
