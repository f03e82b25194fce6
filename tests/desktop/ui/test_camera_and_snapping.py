"""The camera, the handles and snapping, driven with real mouse and key events."""

import math

import numpy as np
import pytest
import trimesh
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import (
    QApplication,
    QDockWidget,
    QEvent,
    QMouseEvent,
    QPoint,
    QPointF,
    Qt,
    QWheelEvent,
)
from tests.desktop.ui.test_journeys import create_table_from_preset, drag_from_drawer

LIBRARY = {a.name: a for a in bundled_library().values()}
NONE = Qt.KeyboardModifier.NoModifier


def drag(
    window: MainWindow,
    start: QPointF,
    end: QPointF,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
    modifiers: Qt.KeyboardModifier = NONE,
    steps: int = 8,
) -> None:
    """Press `button` at `start`, move there in steps holding it, release at `end`."""
    widget = window.viewport.interactor.interactor

    def send(kind: QEvent.Type, pos: QPointF, pressed: Qt.MouseButton) -> None:
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
        event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), pressed, held, modifiers)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, button)
    for step in range(1, steps + 1):
        send(QEvent.Type.MouseMove, start + (end - start) * (step / steps), Qt.MouseButton.NoButton)
    send(QEvent.Type.MouseButtonRelease, end, button)


def wheel(window: MainWindow, at: QPointF, notches: int) -> None:
    widget = window.viewport.interactor.interactor
    event = QWheelEvent(
        at,
        widget.mapToGlobal(at),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        NONE,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def camera_state(window: MainWindow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    camera = window.viewport.interactor.camera
    return (
        np.array(camera.GetPosition()),
        np.array(camera.GetFocalPoint()),
        np.array(camera.GetViewUp()),
    )


def top_of(triangles: np.ndarray, x: float, y: float) -> float:
    """The highest point of these triangles straight above x, y (barycentric, in plan)."""
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    v0, v1 = b[:, :2] - a[:, :2], c[:, :2] - a[:, :2]
    v2 = np.array([x, y]) - a[:, :2]
    det = v0[:, 0] * v1[:, 1] - v1[:, 0] * v0[:, 1]
    ok = np.abs(det) > 1e-12
    u = np.where(ok, (v2[:, 0] * v1[:, 1] - v1[:, 0] * v2[:, 1]) / np.where(ok, det, 1), -1)
    v = np.where(ok, (v0[:, 0] * v2[:, 1] - v2[:, 0] * v0[:, 1]) / np.where(ok, det, 1), -1)
    inside = (u >= 0) & (v >= 0) & (u + v <= 1)
    z = a[:, 2] + u * (b[:, 2] - a[:, 2]) + v * (c[:, 2] - a[:, 2])
    return float(z[inside].max())


def test_orbiting_never_rolls_nor_turns_the_table_upside_down(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    centre = QPointF(window.viewport.width() / 2, window.viewport.height() / 2)
    right = Qt.MouseButton.RightButton
    start_position = camera_state(window)[0]
    # Round and round, far over the top and far under, and diagonally.
    for dx, dy in ((300, 0), (0, 900), (-250, -900), (400, 400), (-600, 200), (0, -2000)):
        drag(window, centre, centre + QPointF(dx, dy), right)
        position, focal, up = camera_state(window)
        sight = focal - position
        across = np.cross(sight, up)
        assert abs(across[2]) < 1e-6 * np.linalg.norm(across), "the horizon tilted"
        assert up[2] >= -1e-9, "upside down"
        assert position[2] > focal[2], "below the table"
    assert not np.allclose(camera_state(window)[0], start_position)  # it did orbit


def test_a_click_that_misses_every_piece_selects_nothing_and_does_not_orbit(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    doc.select({"sample-farmhouse"})
    before = camera_state(window)

    # A drag over bare table, where no piece stands (the near-left corner).
    drag(window, window.viewport.widget_point(30, 30, 0), window.viewport.widget_point(90, 60, 0))

    assert doc.selection == set()
    after = camera_state(window)
    assert all(np.allclose(a, b) for a, b in zip(before, after, strict=True))


def test_the_wheel_zooms_towards_the_point_under_the_cursor(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    viewport = window.viewport
    cursor = viewport.widget_point(950, 200, 0)  # over the steep hill, off-centre
    distance = np.linalg.norm(np.subtract(*camera_state(window)[:2]))
    wheel(window, cursor, 3)

    point = viewport.table_point(cursor)
    assert point is not None
    assert point == pytest.approx((950, 200), abs=2.0)  # the same table point stays under it
    closer = np.linalg.norm(np.subtract(*camera_state(window)[:2]))
    assert closer == pytest.approx(distance / 1.15**3, rel=0.01)


def test_the_rotation_ring_keeps_its_size_on_screen_and_turns_the_piece(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    viewport, doc = window.viewport, window.doc
    assert doc is not None
    doc.select({"sample-barrel-cluster"})
    viewport.render()

    def ring_px() -> float:
        ring = viewport.scene.ring
        assert ring.centre is not None and ring.visible
        centre = viewport.widget_point(*ring.centre)
        knob = viewport.widget_point(*ring.knob_position())
        return math.dist((centre.x(), centre.y()), (knob.x(), knob.y()))

    def settled() -> None:  # the view glides into place; measure where it comes to rest
        qtbot.waitUntil(lambda: not viewport.camera.moving, timeout=5000)
        viewport.render()

    settled()
    far = ring_px()
    wheel(window, viewport.widget_point(700, 600, 0), 4)
    settled()
    assert ring_px() == pytest.approx(far, rel=0.15)  # the same size after zooming in

    # Grab the ring at its knob and drag it a quarter turn anticlockwise (seen from above).
    viewport.scene.view_top()
    viewport.render()
    ring = viewport.scene.ring
    assert ring.centre is not None
    cx, cy, cz = ring.centre
    knob = ring.knob_position()
    start = viewport.widget_point(*knob)
    end = viewport.widget_point(cx, cy + (knob[0] - cx), cz)
    drag(window, start, end)

    assert doc.pieces["sample-barrel-cluster"].rotation == 90
    assert (doc.pieces["sample-barrel-cluster"].x, doc.pieces["sample-barrel-cluster"].y) == (
        700,
        600,
    )


def test_a_piece_dropped_on_a_hill_rests_on_its_surface_not_its_box(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    window.actions_.snap.trigger()  # snapping off: the barrel lands exactly where it is dropped
    hill = doc.pieces["sample-rolling-hill"]
    x, y = hill.x + 70, hill.y + 20

    drag_from_drawer(window, window.drawer, LIBRARY["Barrel"].id, x, y)
    qtbot.waitUntil(lambda: len(doc.pieces) == 18)
    [barrel] = [p for p in doc.pieces.values() if p.asset_id == LIBRARY["Barrel"].id]

    # The hill's surface there, found independently: its mesh, placed, cut by a vertical ray.
    mesh = trimesh.load(LIBRARY["Rolling hill"].mesh_path, force="mesh")
    mesh.apply_transform(trimesh.transformations.rotation_matrix(math.radians(20), (0, 0, 1)))
    mesh.apply_translation((hill.x, hill.y, hill.z))
    surface = top_of(mesh.triangles, barrel.x, barrel.y)

    assert (barrel.x, barrel.y) == pytest.approx((x, y), abs=2.0)  # a whole pixel
    assert barrel.z == pytest.approx(surface, abs=0.05)
    assert 1.0 < barrel.z < LIBRARY["Rolling hill"].size_mm[2] - 5  # on the slope, not the box


def test_a_tile_dropped_near_another_snaps_edge_to_edge(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    create_table_from_preset(qtbot, window, "Tiles", "1200 × 900 mm")
    doc = window.doc
    assert doc is not None
    crate = LIBRARY["Wooden crate"]  # 23 x 23 mm: its edges fall between 25 mm grid lines
    drag_from_drawer(window, window.drawer, crate.id, 300, 300)
    qtbot.waitUntil(lambda: len(doc.pieces) == 1)

    # Dropped 3 mm off, 2 mm of gap after the grid: it closes up against the first.
    drag_from_drawer(window, window.drawer, crate.id, 326, 302)
    qtbot.waitUntil(lambda: len(doc.pieces) == 2)

    placed = sorted((p.x, p.y) for p in doc.pieces.values())
    assert placed == [(300, 300), (300 + crate.size_mm[0], 300)]


def test_the_drawer_keeps_its_order_and_shows_recent_pieces_apart(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    drawer = window.drawer

    def names(widget) -> list[str]:  # type: ignore[no-untyped-def]
        return [widget.item(i).text() for i in range(widget.count())]

    order = names(drawer.list)
    for name in ("Water tank", "Pine tree"):
        count = len(window.doc.pieces)  # type: ignore[union-attr]
        drag_from_drawer(window, drawer, LIBRARY[name].id, 600, 450)
        qtbot.waitUntil(lambda c=count: len(window.doc.pieces) == c + 1)  # type: ignore[union-attr]

    assert names(drawer.list) == order
    assert names(drawer.recent_list)[:2] == ["Pine tree", "Water tank"]
    assert drawer.recent_list.isVisible()


def test_every_panel_can_be_closed_and_reopened_from_the_view_menu(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    view_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"
    )
    docks = window.findChildren(QDockWidget)
    assert {"My tables", "Pieces", "Properties"} <= {d.windowTitle() for d in docks}
    for dock in docks:
        toggle = next(a for a in view_menu.actions() if a.text() == dock.windowTitle())
        assert toggle.isChecked() == dock.isVisible()  # the cart starts closed
        dock.close()  # the panel's own close button
        assert not dock.isVisible()
        assert not toggle.isChecked()  # the menu says it is closed
        toggle.trigger()
        assert dock.isVisible()
        assert toggle.isChecked()
    pieces = next(d for d in docks if d.windowTitle() == "Pieces")
    toggle = next(a for a in view_menu.actions() if a.text() == "Pieces")
    toggle.trigger()  # unticking the menu item closes the panel too
    assert not pieces.isVisible()
    toggle.trigger()
    assert pieces.isVisible()


def test_keys_select_all_nudge_and_deselect(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    widget = window.viewport.interactor.interactor
    qtbot.mouseClick(
        widget, Qt.MouseButton.LeftButton, NONE, window.viewport.widget_point(30, 30, 0).toPoint()
    )
    assert widget.hasFocus()

    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert doc.selection == set(doc.pieces)

    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert doc.selection == set()

    doc.select({"sample-barrel-cluster"})
    before = doc.pieces["sample-barrel-cluster"]
    qtbot.keyClick(widget, Qt.Key.Key_Right)  # the default camera looks along +y: right is +x
    after = doc.pieces["sample-barrel-cluster"]
    assert (after.x, after.y) == (before.x + 25, before.y)


def test_top_view_glides_into_place_and_the_title_names_the_table(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert window.viewport.camera.moving
    qtbot.waitUntil(lambda: not window.viewport.camera.moving, timeout=5000)

    camera = window.viewport.interactor.camera
    assert camera.GetParallelProjection()
    assert np.allclose(camera.GetDirectionOfProjection(), (0, 0, -1), atol=1e-6)
    assert window.windowTitle().startswith("Sample table")


def test_a_selected_piece_is_outlined_and_a_hovered_one_brightened(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc, scene = window.doc, window.viewport.scene
    assert doc is not None
    farmhouse = doc.pieces["sample-farmhouse"]
    point = window.viewport.widget_point(farmhouse.x, farmhouse.y, 40).toPoint()
    qtbot.mouseClick(window.viewport.interactor.interactor, Qt.MouseButton.LeftButton, NONE, point)

    assert doc.selection == {"sample-farmhouse"}
    outline = scene.outlines._outlines["sample-farmhouse"]
    outline.GetMapper().Update()
    assert outline.GetMapper().GetInput().GetNumberOfLines() > 4  # a drawn silhouette
    before = scene.actors["sample-boulder"].GetProperty().GetAmbient()
    assert scene.hover("sample-boulder")
    assert scene.actors["sample-boulder"].GetProperty().GetAmbient() > before
