"""While the view moves it is drawn cheaper; when it stops, the frame is the full one.

Driven with real mouse and key events on the viewport of a real window (Xvfb): a right-drag
orbit, a wheel zoom and an arrow-key nudge. Each frame reports its scale
(`InteractiveFrames.drawn`); the frames during the motion must be the cheap kind (half size,
FXAA and the mat's anisotropic filtering off), and the still frame the user is left with must
be, pixel for pixel, what a plain full render of the same camera draws: the interactive
machinery and the moving layer turned off, every piece in one layer, the level of detail
chosen for that camera.
"""

from typing import Any

import numpy as np
from pytestqt.qtbot import QtBot
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

from terrain_desktop.scene import interactive
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QEvent, QMouseEvent, QPointF, Qt
from tests.desktop.ui.test_camera_and_snapping import drag, wheel
from tests.desktop.ui.test_moving_layer import differing


def shown(window: MainWindow) -> Any:
    """The frame the window shows now, read back without drawing another."""
    grab = vtkWindowToImageFilter()
    grab.SetInput(window.viewport.interactor.ren_win)
    grab.ShouldRerenderOff()
    grab.Update()
    image = grab.GetOutput()
    width, height, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, -1)
    return pixels[::-1].copy()


def plain_full_render(window: MainWindow, one_layer: bool = True) -> Any:
    """The same camera drawn the plain way: no interactive frames, and (`one_layer`) no
    kept layer either, every piece drawn in one pass."""
    scene = window.viewport.scene
    scene.interactive.enabled = False
    scene.moving.enabled = not one_layer
    try:
        window.viewport.render()
        return shown(window)
    finally:
        scene.interactive.enabled = True
        scene.moving.enabled = True


class Frames:
    """Each frame's scale, FXAA and mat filtering as it was drawn, and whether it was a quick
    frame of the moving layer (only the moved pieces drawn over the kept table)."""

    def __init__(self, window: MainWindow) -> None:
        self.scene = window.viewport.scene
        self.seen: list[tuple[float, bool, float, bool]] = []
        self._quick = self.scene.moving.quick_frames
        self.scene.interactive.drawn.append(self._drawn)

    def _drawn(self, scale: float) -> None:
        mat = self.scene.interactive.textures[0]
        fxaa = bool(self.scene.plotter.renderer.GetUseFXAA())
        quick, self._quick = (
            self.scene.moving.quick_frames > self._quick,
            self.scene.moving.quick_frames,
        )
        self.seen.append((scale, fxaa, mat.GetMaximumAnisotropicFiltering(), quick))


def assert_cheap_then_full(frames: Frames) -> None:
    """Every frame while moving was cheap: a half-size one without FXAA and anisotropic
    filtering, or a quick frame of the moving layer; the last one has the full look."""
    *moving, still = frames.seen
    assert moving, "no frame was drawn while moving"
    cheap = (interactive.SCALE, False, 1.0, False)
    assert all(m == cheap or m[3] for m in moving), moving
    assert still[:3] == (1.0, True, 16.0)  # the full look again


def test_an_orbit_draws_cheap_frames_and_ends_on_the_full_frame(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    viewport = window.viewport
    before = plain_full_render(window)
    frames = Frames(window)
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)

    with qtbot.waitSignal(viewport.motion.settled, timeout=5000):
        drag(window, centre, centre + QPointF(120, 40), Qt.MouseButton.RightButton)
    still = shown(window)

    assert_cheap_then_full(frames)
    assert len(frames.seen) >= 8 + 1  # every step of the drag drew, the first one too
    assert not viewport.scene.interactive.moving
    # Exactly a plain full render of where the camera came to rest (same pixels: the same
    # triangles, look and order are drawn, so nothing of the motion's frames is left).
    assert np.array_equal(still, plain_full_render(window))
    assert not np.array_equal(still, before)  # and the camera did turn


def test_the_interactive_frame_fills_the_window_with_the_same_picture(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    viewport = window.viewport
    widget = viewport.interactor.interactor
    right, none = Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton) -> None:
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else right
        event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, held, none)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, centre, right)
    for step in range(1, 5):
        send(QEvent.Type.MouseMove, centre + QPointF(20 * step, 0), Qt.MouseButton.NoButton)
    assert viewport.scene.interactive.last_scale == interactive.SCALE
    moving = shown(window).astype(int)
    with qtbot.waitSignal(viewport.motion.settled, timeout=5000):
        send(QEvent.Type.MouseButtonRelease, centre + QPointF(80, 0), right)
    still = shown(window).astype(int)

    # The same camera at half the pixels, scaled up: the whole window shows the picture (not
    # a corner of it), a little softer.
    assert moving.shape == still.shape
    assert np.abs(moving - still).mean() < 6
    for half in (moving[: len(moving) // 2], moving[:, moving.shape[1] // 2 :]):
        assert float(half.reshape(-1, 3).std(axis=0).mean()) > 5  # no empty quarter


def test_a_wheel_zoom_ends_on_the_full_frame_without_anything_more_from_the_user(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    viewport = window.viewport
    frames = Frames(window)
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)

    with qtbot.waitSignal(viewport.motion.settled, timeout=5000):  # the still-frame timer
        wheel(window, centre, 1)
        wheel(window, centre, 1)

    assert_cheap_then_full(frames)
    assert np.array_equal(shown(window), plain_full_render(window))


def test_an_arrow_key_nudge_draws_cheap_then_the_full_frame(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    widget = viewport.interactor.interactor
    barrels = doc.pieces["sample-barrel-cluster"]
    qtbot.mouseClick(
        widget,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        viewport.widget_point(barrels.x, barrels.y, 5).toPoint(),
    )
    assert doc.selection == {"sample-barrel-cluster"}
    qtbot.waitUntil(lambda: not viewport._render_pending)
    frames = Frames(window)

    with qtbot.waitSignal(viewport.motion.settled, timeout=5000):
        qtbot.keyClick(widget, Qt.Key.Key_Right)
        qtbot.keyClick(widget, Qt.Key.Key_Right)

    assert doc.pieces["sample-barrel-cluster"].x == barrels.x + 50
    assert_cheap_then_full(frames)
    still = shown(window)
    # What the window draws at rest for a moved piece (over the kept table, as before).
    assert np.array_equal(still, plain_full_render(window, one_layer=False))
    # And within the moving layer's known difference of everything drawn in one pass: a
    # piece drawn over the kept table misses the first layer's FXAA on its edges.
    assert differing(still, plain_full_render(window)) < 400
