"""Edge snapping on its own toggle: tiles meet edge to edge with the grid off, the meeting
edges light up while dragging and the status line says why."""

import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QEvent, QMouseEvent, QPointF, Qt
from tests.desktop.ui.test_journeys import create_table_from_preset, drag_from_drawer

LIBRARY = {a.name: a for a in bundled_library().values()}
CRATE = LIBRARY["Wooden crate"]  # 23 x 23 mm


def two_crates(qtbot: QtBot, window: MainWindow) -> tuple[str, str]:
    create_table_from_preset(qtbot, window, "Tiles", "1200 × 900 mm")
    doc = window.doc
    assert doc is not None
    assert window.actions_.snap.isChecked()
    window.actions_.snap.trigger()  # grid snapping off (G)
    assert window.actions_.edge_snap.isChecked()  # edge snapping stays on
    drag_from_drawer(window, window.drawer, CRATE.id, 300, 300)
    qtbot.waitUntil(lambda: len(doc.pieces) == 1)
    drag_from_drawer(window, window.drawer, CRATE.id, 600, 300)
    qtbot.waitUntil(lambda: len(doc.pieces) == 2)
    first, second = sorted(doc.pieces, key=lambda i: doc.pieces[i].x)
    return first, second


def test_two_tiles_dragged_near_each_other_snap_with_the_grid_off(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    first, second = two_crates(qtbot, window)
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    a, b = doc.pieces[first], doc.pieces[second]
    viewport.scene.view_top()
    viewport.render()
    widget = viewport.interactor.interactor
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton) -> None:
        event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, left, none)
        QApplication.sendEvent(widget, event)

    # Drag the second crate to 4 mm right of and 3 mm above side by side with the first.
    start = viewport.widget_point(b.x, b.y, CRATE.size_mm[2])
    end = viewport.widget_point(a.x + CRATE.size_mm[0] + 4, a.y + 3, CRATE.size_mm[2])
    send(QEvent.Type.MouseButtonPress, start, left)
    for step in range(1, 9):
        send(QEvent.Type.MouseMove, start + (end - start) * (step / 8), Qt.MouseButton.NoButton)

    # While held there: the edges that meet are lit, and the status line says what happened.
    [(low, high)] = viewport.edges.marks.shown
    edge = a.x + CRATE.size_mm[0] / 2
    assert low[0] == pytest.approx(edge) and high[0] == pytest.approx(edge)
    assert "snapped" in window.statusBar().currentMessage()

    send(QEvent.Type.MouseButtonRelease, end, left)
    moved = doc.pieces[second]
    assert (moved.x - a.x, moved.y - a.y) == pytest.approx((CRATE.size_mm[0], 0), abs=1e-6)
    assert viewport.edges.marks.shown == []  # the light goes out on the drop


def test_edge_snapping_turned_off_leaves_a_piece_where_it_is_dropped(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    first, _ = two_crates(qtbot, window)
    doc = window.doc
    assert doc is not None
    a = doc.pieces[first]
    qtbot.keyClick(window, Qt.Key.Key_E)
    assert not window.actions_.edge_snap.isChecked()

    drag_from_drawer(window, window.drawer, CRATE.id, a.x, a.y + CRATE.size_mm[1] + 4)
    qtbot.waitUntil(lambda: len(doc.pieces) == 3)

    [third] = [p for p in doc.pieces.values() if p.y > a.y + 10 and abs(p.x - a.x) < 10]
    assert third.y - a.y == pytest.approx(CRATE.size_mm[1] + 4, abs=2.0)  # a gap stays


def test_a_group_dragged_near_a_tile_snaps_by_the_piece_grabbed_and_keeps_its_shape(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    from tests.desktop.ui.test_journeys import mouse_drag

    window: MainWindow = open_window()
    first, second = two_crates(qtbot, window)
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    b = doc.pieces[second]
    drag_from_drawer(window, window.drawer, CRATE.id, b.x + CRATE.size_mm[0] + 3, b.y + 2)
    qtbot.waitUntil(lambda: len(doc.pieces) == 3)
    third = next(i for i in doc.pieces if i not in (first, second))
    apart = (doc.pieces[third].x - b.x, doc.pieces[third].y - b.y)
    assert apart == pytest.approx((CRATE.size_mm[0], 0), abs=1e-6)  # clicked to the second
    a = doc.pieces[first]
    doc.select({second, third})
    viewport.scene.view_top()
    viewport.render()

    z = CRATE.size_mm[2]
    start = viewport.widget_point(b.x, b.y, z)
    mouse_drag(window, start, viewport.widget_point(a.x + CRATE.size_mm[0] + 4, a.y - 3, z))

    moved_b, moved_c = doc.pieces[second], doc.pieces[third]
    assert (moved_b.x - a.x, moved_b.y - a.y) == pytest.approx((CRATE.size_mm[0], 0), abs=1e-6)
    assert (moved_c.x - moved_b.x, moved_c.y - moved_b.y) == pytest.approx(apart, abs=1e-6)
