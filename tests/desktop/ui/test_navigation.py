"""Finding your way round the view: Home frames the whole table in 3D and from the top,
whatever its shape."""

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import Qt
from tests.desktop.ui.test_journeys import create_table_from_preset


def corners_on_screen(window: MainWindow) -> list[tuple[float, float]]:
    doc = window.doc
    assert doc is not None
    table = doc.table
    viewport = window.viewport
    viewport.render()
    points = []
    for x in (0, table.width):
        for y in (0, table.depth):
            point = viewport.widget_point(x, y, 0)
            points.append((point.x(), point.y()))
    return points


def assert_fits(window: MainWindow) -> None:
    """Every corner of the table inside the view, and the table using most of it."""
    widget = window.viewport.interactor.interactor
    width, height = widget.width(), widget.height()
    points = corners_on_screen(window)
    for x, y in points:
        assert 0 <= x <= width and 0 <= y <= height, (x, y, width, height)
    span_x = max(x for x, _ in points) - min(x for x, _ in points)
    span_y = max(y for _, y in points) - min(y for _, y in points)
    assert span_x > 0.75 * width or span_y > 0.75 * height, (span_x, span_y, width, height)


def settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.viewport.camera.moving, timeout=5000)


def test_home_frames_a_six_by_four_foot_table_in_3d_and_from_the_top(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    create_table_from_preset(qtbot, window, "Wargames", "6 × 4 ft")
    assert_fits(window)  # as it opens

    qtbot.keyClick(window, Qt.Key.Key_T)
    settle(qtbot, window)
    assert window.viewport.interactor.camera.GetParallelProjection()
    assert_fits(window)

    window.viewport.interactor.camera.Zoom(3.0)  # wander off, then come home
    qtbot.keyClick(window, Qt.Key.Key_Home)
    settle(qtbot, window)
    assert window.viewport.interactor.camera.GetParallelProjection()  # still from the top
    assert_fits(window)

    qtbot.keyClick(window, Qt.Key.Key_P)
    settle(qtbot, window)
    window.viewport.interactor.camera.Zoom(3.0)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    settle(qtbot, window)
    assert not window.viewport.interactor.camera.GetParallelProjection()
    assert_fits(window)


def test_home_frames_a_tall_narrow_table_in_a_wide_window(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    create_table_from_preset(qtbot, window, "Skirmish", "44 × 60 in")
    qtbot.keyClick(window, Qt.Key.Key_T)
    settle(qtbot, window)
    assert_fits(window)


def test_a_left_drag_on_the_table_selects_the_pieces_in_the_box(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from tests.desktop.ui.test_journeys import mouse_drag

    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    viewport.scene.view_top()
    viewport.render()
    # Around the ruined tower (640, 450) and the barrel cluster (700, 600) only, starting on
    # bare table.
    mouse_drag(window, viewport.widget_point(590, 380, 0), viewport.widget_point(760, 660, 0))

    assert doc.selection == {"sample-ruined-tower", "sample-barrel-cluster"}
    # A click on bare table then selects nothing.
    mouse_drag(window, viewport.widget_point(30, 30, 0), viewport.widget_point(30, 30, 0))
    assert doc.selection == set()


def test_the_view_shows_how_to_get_round_and_help_lists_the_camera_keys(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    hint = window.viewport.hint_line
    assert hint.isVisible()
    for words in ("Right-drag: orbit", "Middle-drag: pan", "Wheel: zoom", "select with a box"):
        assert words in hint.text()
    qtbot.mouseClick(hint, Qt.MouseButton.LeftButton)
    assert not hint.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.actions_.help.dialog
    assert dialog is not None and dialog.isVisible()
    rows = dict(window.actions_.help.rows())
    assert rows["Frame all"] == "Home"
    assert rows["Top view"] == "T" and rows["3D view"] == "P"
    assert rows["Frame selection"] == "F"
    assert rows["Orbit the camera"] == "Right-drag"
    assert rows["Edge snapping"] == "E"
