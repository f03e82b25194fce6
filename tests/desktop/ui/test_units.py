"""One units setting: flipping View ▸ Show inches changes every length the window shows or
takes, at once."""

import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.planning.checks import Kind
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import Qt
from tests.desktop.ui.test_journeys import mouse_drag

TOWER = "sample-ruined-tower"  # at 640, 450 mm
BOULDER = "sample-boulder"  # at 1120, 340 mm


def test_flipping_the_units_changes_properties_ruler_checks_drawer_and_status(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    viewport.scene.view_top()
    viewport.render()
    doc.select({TOWER})
    x_box = window.properties.fields["x"]
    assert window.properties.labels["x"].text() == "X (mm)" and x_box.value() == 640

    # Something for the checks to report, with a length in it: the boulder off the edge.
    boulder = doc.pieces[BOULDER]
    mouse_drag(
        window,
        viewport.widget_point(boulder.x, boulder.y, 20),
        viewport.widget_point(1200, boulder.y, 0),
    )
    qtbot.waitUntil(lambda: [f.kind for f in window.checks.findings] == [Kind.OFF_TABLE])
    doc.select({TOWER})
    # A measured line, 500 mm long.
    qtbot.keyClick(window, Qt.Key.Key_M)
    widget = viewport.interactor.interactor
    for x, y in ((100, 100), (400, 500)):
        qtbot.mouseClick(
            widget, Qt.MouseButton.LeftButton, pos=viewport.widget_point(x, y, 0).toPoint()
        )
    assert viewport.scene.ruler.text.endswith(" mm")
    crate = next(a for a in bundled_library().values() if a.name == "Wooden crate")
    item = window.drawer.item_for(crate.id)
    assert item is not None and "23 × 23 × 22 mm" in item.toolTip()
    assert window.checks.gap.suffix() == " mm" and window.checks.gap.value() == 32
    assert window.sight.eye.text() == "30 mm"  # whole millimetres, like the base size
    assert window.checks.gap.text() == "32 mm"

    window.inch_action.trigger()

    assert window.properties.labels["x"].text() == "X (in)"
    assert x_box.value() == pytest.approx(640 / 25.4, abs=0.01)
    assert viewport.scene.ruler.text in ('19.6"', '19.7"')  # at once, no new measurement
    item = window.drawer.item_for(crate.id)
    assert item is not None and "0.9 × 0.9 × 0.9 in" in item.toolTip()
    assert window.checks.gap.suffix() == " in"
    assert window.sight.eye.suffix() == " in"
    assert window.sight.eye.value() == pytest.approx(30 / 25.4, abs=0.01)
    assert window.checks.gap.value() == pytest.approx(32 / 25.4, abs=0.01)
    assert '47.2" × 35.4"' in window.status.text()
    qtbot.waitUntil(lambda: "sq in" in window.checks.list.item(0).text(), timeout=5000)

    # Typed in inches: 10 inches is 254 mm.
    x_box.selectAll()
    qtbot.keyClicks(x_box, "10")
    qtbot.keyClick(x_box, Qt.Key.Key_Return)
    assert doc.pieces[TOWER].x == pytest.approx(254.0)

    window.inch_action.trigger()  # and back
    assert window.properties.labels["x"].text() == "X (mm)" and x_box.value() == 254
    assert viewport.scene.ruler.text.endswith(" mm")
