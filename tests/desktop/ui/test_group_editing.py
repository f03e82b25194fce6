"""A selection turned, moved and edited as one body, driven through the real window."""

import math

import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import Qt
from tests.desktop.ui.test_camera_and_snapping import drag
from tests.desktop.ui.test_journeys import drag_from_drawer

PAIR = {"sample-ruined-tower", "sample-barrel-cluster"}  # (640, 450) and (700, 600)


def places(doc: TableDocument) -> dict[str, tuple[float, float]]:
    return {i: (doc.pieces[i].x, doc.pieces[i].y) for i in sorted(PAIR)}


def turned_about_centre(
    before: dict[str, tuple[float, float]], degrees: float
) -> dict[str, tuple[float, float]]:
    cx = sum(x for x, _ in before.values()) / len(before)
    cy = sum(y for _, y in before.values()) / len(before)
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return {
        i: (cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c)
        for i, (x, y) in before.items()
    }


def assert_places(
    got: dict[str, tuple[float, float]], want: dict[str, tuple[float, float]]
) -> None:
    for piece_id, (x, y) in want.items():
        assert got[piece_id] == pytest.approx((x, y), abs=1e-3), piece_id


def test_turning_a_group_with_the_ring_keeps_its_shape(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    viewport, doc = window.viewport, window.doc
    assert doc is not None
    doc.select(set(PAIR))
    before = places(doc)
    viewport.scene.view_top()
    viewport.render()
    ring = viewport.scene.ring
    assert ring.centre is not None
    cx, cy, cz = ring.centre
    knob = ring.knob_position()
    drag(window, viewport.widget_point(*knob), viewport.widget_point(cx, cy + (knob[0] - cx), cz))

    assert_places(places(doc), turned_about_centre(before, 90))
    assert {doc.pieces[i].rotation for i in PAIR} == {90.0}
    window.actions_.undo.trigger()  # one step undoes the whole turn
    assert_places(places(doc), before)


def test_r_and_q_turn_a_group_about_its_centre_and_undo_in_one_step(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select(set(PAIR))
    before = places(doc)
    apart = math.dist(*before.values())

    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert_places(places(doc), turned_about_centre(before, 30))
    assert math.dist(*places(doc).values()) == pytest.approx(apart)
    assert doc.pieces["sample-barrel-cluster"].rotation == 30

    qtbot.keyClick(window, Qt.Key.Key_Q)
    assert_places(places(doc), turned_about_centre(before, 15))
    window.actions_.undo.trigger()
    assert_places(places(doc), turned_about_centre(before, 30))


def test_each_in_place_turns_every_piece_where_it_stands(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select(set(PAIR))
    before = places(doc)
    window.actions_.each_in_place.trigger()

    qtbot.keyClick(window, Qt.Key.Key_R)

    assert places(doc) == before
    assert doc.pieces["sample-barrel-cluster"].rotation == 15
    assert doc.pieces["sample-ruined-tower"].rotation == 15


def test_the_properties_rotation_of_a_group_turns_it_as_one(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select(set(PAIR))
    before = places(doc)
    box = window.properties.fields["rotation"]
    assert box.value() == 0  # both face the same way, so the box shows it

    box.selectAll()
    qtbot.keyClicks(box, "45")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert_places(places(doc), turned_about_centre(before, 45))
    assert {doc.pieces[i].rotation for i in PAIR} == {45.0}


def test_a_group_moved_carries_the_piece_stacked_on_it(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    viewport, doc = window.viewport, window.doc
    assert doc is not None
    hill = doc.pieces["sample-steep-hill"]
    window.actions_.snap.trigger()  # exactly where it is put
    window.actions_.edge_snap.trigger()
    barrel = next(a for a in bundled_library().values() if a.name == "Barrel")
    drag_from_drawer(window, window.drawer, barrel.id, hill.x + 10, hill.y + 10)
    qtbot.waitUntil(lambda: len(doc.pieces) == 18)
    [barrel_id] = [i for i, p in doc.pieces.items() if p.asset_id == barrel.id]
    on_it = doc.pieces[barrel_id]
    height, offset = on_it.z - hill.z, (on_it.x - hill.x, on_it.y - hill.y)
    assert height > 5  # it stands on the hill

    doc.select({barrel_id, hill.id})
    viewport.scene.view_top()
    viewport.render()
    start = viewport.widget_point(hill.x - 40, hill.y - 40, hill.z + 5)
    drag(window, start, viewport.widget_point(hill.x - 240, hill.y + 160, hill.z + 5))

    moved_hill, moved_barrel = doc.pieces[hill.id], doc.pieces[barrel_id]
    assert moved_hill.x == pytest.approx(hill.x - 200, abs=3)
    assert (moved_barrel.x - moved_hill.x, moved_barrel.y - moved_hill.y) == pytest.approx(
        offset, abs=1e-6
    )
    assert moved_barrel.z - moved_hill.z == pytest.approx(height, abs=1e-6)  # still on top


def test_typing_a_groups_x_in_properties_moves_it_as_one(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select(set(PAIR))
    before = places(doc)
    box = window.properties.fields["x"]
    assert box.value() == 670  # the centre of 640 and 700

    box.selectAll()
    qtbot.keyClicks(box, "500")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert_places(places(doc), {i: (x - 170, y) for i, (x, y) in before.items()})
