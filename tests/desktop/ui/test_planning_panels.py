"""The checks panel and the line-of-sight panel, used as a user uses them: drag a piece off
the edge and see it flagged, click the entry to select it, switch the heat map on, click a
cell to see what it sees."""

from pathlib import Path

import numpy as np
import pypdf
import pytest
from pytestqt.qtbot import QtBot
from shiboken6 import delete

from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.planning.checks import Kind
from terrain_desktop.scene.overlays_sight import CELLS_HEIGHT
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QPointF, Qt
from tests.desktop.ui.conftest import answer_next_dialog, screenshot
from tests.desktop.ui.test_journeys import mouse_drag

BOULDER = "sample-boulder"  # stands at 1120, 340 on the 1200 x 900 sample table


def pixel(window: MainWindow, image: np.ndarray, x: float, y: float, z: float) -> np.ndarray:
    dx, dy = window.viewport.scene.display_point(x, y, z)
    row, col = image.shape[0] - 1 - round(dy), round(dx)
    return image[row - 1 : row + 2, col - 1 : col + 2, :3].reshape(-1, 3).mean(axis=0)


def reddish(rgb: np.ndarray) -> bool:
    return bool(rgb[0] > 150 and rgb[0] > rgb[1] + 60 and rgb[0] > rgb[2] + 60)


def click_view(qtbot: QtBot, window: MainWindow, point: QPointF) -> None:
    qtbot.mouseClick(
        window.viewport.interactor.interactor,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        point.toPoint(),
    )


def checked_from_above(qtbot: QtBot, window: MainWindow) -> None:
    """The table seen from above, and the Checks dock's first answer shown (the sample table
    has no findings)."""
    window.viewport.scene.view_top()
    window.viewport.render()
    qtbot.waitUntil(lambda: "No findings" in window.checks.summary.text(), timeout=10000)


def test_checks_follow_edits_mark_the_piece_and_select_it(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    panel = window.checks
    checked_from_above(qtbot, window)
    assert panel.findings == []

    boulder = window.doc.pieces[BOULDER]  # type: ignore[union-attr]
    start = window.viewport.widget_point(boulder.x, boulder.y, 20)
    edge = window.viewport.widget_point(1200, boulder.y, 0)
    mouse_drag(window, start, edge)  # half of it now hangs over the right edge

    qtbot.waitUntil(lambda: [f.kind for f in panel.findings] == [Kind.OFF_TABLE], timeout=5000)
    assert panel.list.count() == 1 and "hangs over the table edge" in panel.list.item(0).text()
    moved = window.doc.pieces[BOULDER]  # type: ignore[union-attr]
    [(x, y, top)] = panel.marks.marked
    assert (x, y) == (moved.x, moved.y)
    assert reddish(pixel(window, screenshot(window), x, y, top + 12))  # the red ball above it

    window.doc.select(set())  # type: ignore[union-attr]
    item = panel.list.item(0)
    qtbot.mouseClick(
        panel.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.list.visualItemRect(item).center(),
    )
    assert window.doc.selection == {BOULDER}  # type: ignore[union-attr]

    window.actions_.undo.trigger()
    qtbot.waitUntil(lambda: panel.findings == [], timeout=5000)
    assert panel.marks.marked == [] and panel.list.count() == 0


def test_a_drag_then_a_nudge_into_a_neighbour_lists_and_marks_the_new_overlap(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    """The checks follow a move by the mouse and one by the keyboard: after each, the dock
    lists what the move did to the pieces around it (checked again only there) and marks
    both pieces."""
    window: MainWindow = open_window()
    panel, doc = window.checks, window.doc
    assert doc is not None
    checked_from_above(qtbot, window)
    farmhouse = "sample-farmhouse"  # its footprint ends at x = 1025, a boulder is 44 mm wide

    # Edge snapping and the grid off: they would butt the two together, or keep them apart.
    qtbot.keyClick(window, Qt.Key.Key_E)
    qtbot.keyClick(window, Qt.Key.Key_G)
    assert not window.viewport.edges.on and not window.viewport.snapping
    start = window.viewport.widget_point(doc.pieces[BOULDER].x, doc.pieces[BOULDER].y, 20)
    mouse_drag(window, start, window.viewport.widget_point(1060, 520, 0))
    assert (doc.pieces[BOULDER].x, doc.pieces[BOULDER].y) == pytest.approx((1060, 520), abs=1)
    qtbot.waitUntil(lambda: [f.kind for f in panel.findings] == [Kind.TOO_CLOSE], timeout=5000)
    assert set(panel.findings[0].pieces) == {farmhouse, BOULDER}

    widget = window.viewport.interactor.interactor
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Left)  # one grid step (25 mm) into the farmhouse
    assert doc.pieces[BOULDER].x == pytest.approx(1035, abs=1)
    assert doc.pieces[BOULDER].z == 0  # its centre is off the farmhouse: beside it, not on it
    qtbot.waitUntil(lambda: [f.kind for f in panel.findings] == [Kind.OVERLAP], timeout=5000)
    [overlap] = panel.findings
    assert set(overlap.pieces) == {farmhouse, BOULDER} and overlap.measure > 100
    assert panel.list.count() == 1 and "overlap by" in panel.list.item(0).text()
    marked = {(x, y) for x, y, _ in panel.marks.marked}
    assert marked == {(doc.pieces[p].x, doc.pieces[p].y) for p in (farmhouse, BOULDER)}


def test_a_window_closed_while_its_table_is_checked_shows_no_error(
    qtbot: QtBot, data_dir: Path
) -> None:
    """The check runs off the GUI thread; its answer, arriving after the window is gone, is
    dropped (it used to raise inside Qt's event loop)."""
    store = LocalStore(data_dir / "terrain.sqlite")
    ensure_sample_table(store)
    window = MainWindow(store)
    window.show()
    qtbot.waitExposed(window)
    panel = window.checks
    qtbot.waitUntil(lambda: "No findings" in panel.summary.text(), timeout=10000)

    panel.gap.setValue(10)  # the user asks for a narrower base: checked again
    running = panel._op
    assert running is not None and running.running
    window.close()
    delete(window)  # gone before the check can answer (answers come through the event loop)

    qtbot.waitUntil(lambda: not running.running, timeout=10000)


def test_heat_map_zones_and_what_a_clicked_cell_sees(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    panel = window.sight
    window.viewport.scene.view_top()
    window.viewport.render()
    before = screenshot(window)

    qtbot.mouseClick(panel.heat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.sight is not None, timeout=30000)
    sight = panel.sight
    assert sight is not None and panel.overlay.showing
    assert panel.report is not None and "balance" in panel.numbers.text()
    heat = screenshot(window)
    assert np.abs(heat.astype(int) - before.astype(int)).mean() > 10  # the table is coloured

    # Look from the cell at 100, 450 (left edge, middle): pick a cell it sees and one it does not.
    cell = sight.grid.cell_at(100, 450)
    assert cell is not None
    selection = set(window.doc.selection)  # type: ignore[union-attr]
    qtbot.mouseClick(panel.look_button, Qt.MouseButton.LeftButton)
    click_view(qtbot, window, window.viewport.widget_point(100, 450, 0))

    assert panel.looking_from == cell
    assert window.doc.selection == selection  # the click looked; it selected nothing  # type: ignore[union-attr]
    seen = sight.seen_from(cell)
    on_ground = sight.eyes[:, 2] == sight.eye
    hidden = np.flatnonzero(~seen & on_ground)
    visible = np.flatnonzero(seen & on_ground & (np.arange(sight.grid.count) != cell))
    assert hidden.size and visible.size
    image = screenshot(window)
    for index, expect_green in ((hidden[0], False), (visible[-1], True)):
        x, y = sight.grid.centres[index]
        r, g, b = pixel(window, image, x, y, CELLS_HEIGHT)
        assert (g > r + 40 and g > b + 40) == expect_green, (index, (r, g, b))

    # A taller eye (a flyer on a stand) sees over more of the pieces: the map is redone.
    panel.eye.selectAll()
    qtbot.keyClicks(panel.eye, "150")
    qtbot.waitUntil(lambda: panel.sight is not None and panel.sight.eye == 150, timeout=30000)
    assert panel.sight is not None and panel.sight.coverage.mean() > sight.coverage.mean()

    qtbot.mouseClick(panel.heat_button, Qt.MouseButton.LeftButton)  # off again
    assert not panel.overlay.showing and panel.sight is None


def test_export_build_plan_from_the_window_in_the_unit_shown(
    qtbot: QtBot, open_window, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    window.inch_action.trigger()  # the user reads inches
    out = tmp_path / "plan.pdf"

    def choose_printer(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.setTextValue("Prusa MINI+")
        dialog.accept()

    answer_next_dialog(qtbot, choose_printer)
    window.files.export_plan(str(out))

    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    assert any("Printer: Prusa MINI+ (7.1 × 7.1 × 7.1 in)" in text for text in pages)
    assert any("Size (in)" in text for text in pages)
    assert 'Ruined tower\n22.0" from right\n17.7" from front' in pages[-1]
    assert "Wrote the build plan" in window.statusBar().currentMessage()


def test_a_barrel_dropped_on_a_hill_rests_on_it_and_checks_find_nothing(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.domain.catalogue import bundled_library
    from tests.desktop.ui.test_journeys import drag_from_drawer

    window: MainWindow = open_window()
    panel, doc = window.checks, window.doc
    assert doc is not None
    qtbot.waitUntil(lambda: "No findings" in panel.summary.text(), timeout=10000)
    window.actions_.snap.trigger()  # exactly where it is dropped: on the slope
    hill = doc.pieces["sample-rolling-hill"]
    barrel = next(a for a in bundled_library().values() if a.name == "Barrel")

    drag_from_drawer(window, window.drawer, barrel.id, hill.x + 70, hill.y + 20)
    qtbot.waitUntil(lambda: len(doc.pieces) == 18)
    [barrel_id] = [i for i, p in doc.pieces.items() if p.asset_id == barrel.id]
    resting = doc.pieces[barrel_id].z
    assert resting > 4.0  # up on the slope
    qtbot.waitUntil(lambda: panel.summary.text().startswith("No findings"), timeout=10000)
    assert panel.findings == []

    # Sunk into the hill (typed lower in Properties): that is an overlap, and says so.
    window.properties.fields["z"].setValue(round(resting) - 3)
    qtbot.waitUntil(lambda: panel.findings != [], timeout=10000)
    [finding] = panel.findings
    assert finding.kind == Kind.OVERLAP and set(finding.pieces) == {barrel_id, hill.id}
    assert "sinks" in finding.message


def test_the_checks_list_puts_in_and_takes_out_only_the_findings_that_changed(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """Three pieces dragged half over the edge one by one, then the first dragged back: the
    list always shows the findings, in order, and the lines of findings that stayed are the
    same items (not the whole list built again: 7,000 lines on a crowded table)."""
    window: MainWindow = open_window()
    panel, doc = window.checks, window.doc
    assert doc is not None
    checked_from_above(qtbot, window)

    def listed() -> list[object]:
        items = [panel.list.item(row) for row in range(panel.list.count())]
        return [item.data(Qt.ItemDataRole.UserRole) for item in items]

    def drag_to(piece_id: str, x: float, count: int) -> None:
        piece = doc.pieces[piece_id]
        start = window.viewport.widget_point(piece.x, piece.y, 20)
        mouse_drag(window, start, window.viewport.widget_point(x, piece.y, 0))
        qtbot.waitUntil(lambda: len(panel.findings) == count, timeout=5000)
        assert listed() == [list(f.pieces) for f in panel.findings]

    home = doc.pieces[BOULDER].x
    for count, piece_id in enumerate((BOULDER, "sample-water-tank", "sample-pine-tree"), start=1):
        drag_to(piece_id, 1200, count)
    items = {
        tuple(panel.list.item(row).data(Qt.ItemDataRole.UserRole)): panel.list.item(row)
        for row in range(3)
    }
    drag_to(BOULDER, home, 2)
    assert all(
        panel.list.item(row) is items[tuple(panel.list.item(row).data(Qt.ItemDataRole.UserRole))]
        for row in range(2)
    )
