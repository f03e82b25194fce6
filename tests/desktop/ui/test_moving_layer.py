"""A dragged piece is drawn over a kept image of the rest of the table: it must look exactly
as a full frame would (moved, nothing left behind, hidden where a piece stands in front)."""

from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

from terrain_desktop.domain import commands
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.ui.main_window import MainWindow
from tests.desktop.ui.conftest import assert_piece_shown_at
from tests.desktop.ui.test_journeys import mouse_drag

LIBRARY = bundled_library()


def frame(window: MainWindow) -> Any:
    """Draw the view once and read exactly that frame back (no second render)."""
    window.viewport.render()
    grab = vtkWindowToImageFilter()
    grab.SetInput(window.viewport.interactor.ren_win)
    grab.ShouldRerenderOff()
    grab.Update()
    image = grab.GetOutput()
    width, height, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, -1)
    return pixels[::-1].copy()


def drawn(window: MainWindow) -> tuple[int, int, int]:
    """Frames drawn so far: all of them, those drawn from the kept image and those that drew
    a spot of it again (the rest drew the whole table)."""
    scene = window.viewport.scene
    frames = scene.interactive.still_frames + scene.interactive.interactive_frames
    return frames, scene.moving.quick_frames, scene.moving.repaired_frames


def differing(a: Any, b: Any) -> int:
    return int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40).sum())


def test_a_dragged_piece_is_drawn_over_the_kept_table_exactly_as_a_full_frame(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    layer = viewport.scene.moving
    piece_id = "sample-barrel-cluster"
    piece = doc.pieces[piece_id]
    half = LIBRARY[piece.asset_id].size_mm[2] / 2
    start = (piece.x, piece.y)
    before = frame(window)

    quick = layer.quick_frames
    mouse_drag(
        window,
        viewport.widget_point(piece.x, piece.y, half),
        viewport.widget_point(piece.x - 150, piece.y - 100, half),
    )
    moved = frame(window)

    landed = doc.pieces[piece_id]  # (on the grid, or edge to edge with a neighbour)
    assert (landed.x, landed.y) == pytest.approx((start[0] - 150, start[1] - 100), abs=13)
    # The drag's later steps and the frame after the drop were drawn from the kept image.
    assert layer.quick_frames - quick >= 5
    assert id(viewport.scene.actors[piece_id]) in layer.moving
    assert_piece_shown_at(window, piece_id, moved)
    # The same scene drawn in full, all in one layer: the same picture (a few edge pixels
    # differ: the moving layer draws its piece without the first layer's antialiasing).
    layer.enabled = False
    full = frame(window)
    assert id(viewport.scene.actors[piece_id]) not in layer.moving
    assert differing(moved, full) < 400
    assert differing(before, full) > 1000  # and the piece did move on screen


def test_a_piece_moved_behind_another_is_hidden_by_it(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    layer = viewport.scene.moving
    tower, barrels = doc.pieces["sample-ruined-tower"], "sample-barrel-cluster"
    # Just behind the tower as the default camera looks (towards +y), pushed on the undo stack
    # as a drop pushes it; a full frame of the same scene shows the same occlusion.
    for step in range(3):
        window.editor.push(commands.move_to(doc, barrels, tower.x, tower.y + 40 + step))
        frame(window)
    assert layer.quick_frames > 0 and id(viewport.scene.actors[barrels]) in layer.moving
    moved = frame(window)
    layer.enabled = False
    full = frame(window)
    assert differing(moved, full) < 400


def test_turning_and_duplicating_the_selection_redraws_only_the_selection(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    from tests.desktop.ui.test_actions import toolbar_action
    from tests.desktop.ui.test_panels import click_piece

    window: MainWindow = open_window()
    doc, layer = window.doc, window.viewport.scene.moving
    assert doc is not None
    chosen = ["sample-barrel-cluster", "sample-crate-stack", "sample-boulder"]
    for n, piece_id in enumerate(chosen):
        click_piece(qtbot, window, piece_id, shift=n > 0)
    assert doc.selection == set(chosen)
    frame(window)  # the selection shown (and lifted into the moving layer)
    turned_from = {i: doc.pieces[i].rotation for i in chosen}

    for text in ("Rotate right", "Duplicate"):
        quick = layer.quick_frames
        toolbar_action(window, text).trigger()
        shown = frame(window)
        assert layer.quick_frames > quick, text  # the table under them was not drawn again
    # A turn key is a motion: the full frame comes once it is let go (test_motion.py).
    qtbot.waitUntil(lambda: not window.viewport.motion.active)
    layer.enabled = False
    full = frame(window)
    assert differing(shown, full) < 400

    assert all(doc.pieces[i].rotation != turned_from[i] for i in chosen)
    assert len(doc.pieces) == 17 + 3 and len(doc.selection) == 3


def test_a_piece_moved_again_after_the_checks_marked_it_is_still_drawn_over_the_kept_table(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """The Checks dock's marks change with a move (a full frame): the moved piece stays in the
    moving layer, so moving it again draws only it, and the picture is a full frame's."""
    window: MainWindow = open_window()
    doc, viewport, panel = window.doc, window.viewport, window.checks
    assert doc is not None
    layer = viewport.scene.moving
    qtbot.waitUntil(lambda: "No findings" in panel.summary.text(), timeout=10000)
    boulder = "sample-boulder"
    window.editor.push(commands.move_to(doc, boulder, 1200, 340))  # half over the edge
    frame(window)
    qtbot.waitUntil(lambda: len(panel.marks.marked) == 1, timeout=10000)
    frame(window)  # the marks drawn: a full frame
    assert id(viewport.scene.actors[boulder]) in layer.moving

    quick = layer.quick_frames
    window.editor.push(commands.move_to(doc, boulder, 1100, 300))
    moved = frame(window)
    assert layer.quick_frames > quick
    qtbot.waitUntil(lambda: panel.marks.marked == [], timeout=10000)
    layer.enabled = False
    full = frame(window)
    layer.enabled = True
    # (the marks went in between: the picture without them, the moved piece where it is now)
    assert differing(frame(window), full) < 400
    assert differing(moved, full) > 0


def test_the_first_move_of_a_piece_draws_again_only_where_it_stood(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """A piece moved for the first time leaves the kept table: only the spot where it stood is
    drawn again (the pieces near it), and the picture is a full frame's, nothing left behind."""
    window: MainWindow = open_window()
    doc, viewport = window.doc, window.viewport
    assert doc is not None
    layer = viewport.scene.moving
    before = frame(window)
    for piece_id, dx in (("sample-crate-stack", -120), ("sample-barrel-cluster", 90)):
        piece = doc.pieces[piece_id]
        repaired = layer.repaired_frames
        window.editor.push(commands.move_to(doc, piece_id, piece.x + dx, piece.y + 60))
        moved = frame(window)
        assert layer.repaired_frames == repaired + 1, piece_id
        assert id(viewport.scene.actors[piece_id]) in layer.moving
        assert_piece_shown_at(window, piece_id, moved)
    layer.enabled = False
    full = frame(window)
    assert differing(moved, full) < 100  # (a ghost left where a piece stood: 700)
    assert differing(before, full) > 1000


def test_the_checks_marks_are_drawn_again_only_where_they_changed(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """The Checks dock's answer marks a piece dragged half off the table, then unmarks it when
    it is dragged back: each time only the spot of the changed mark is drawn again (a repair
    frame, not the table), and the picture is what a full frame draws, the mark there and
    then gone without a trace."""
    window: MainWindow = open_window()
    doc, viewport, panel = window.doc, window.viewport, window.checks
    assert doc is not None
    layer = viewport.scene.moving
    qtbot.waitUntil(lambda: "No findings" in panel.summary.text(), timeout=10000)
    boulder = "sample-boulder"
    piece = doc.pieces[boulder]
    half = LIBRARY[piece.asset_id].size_mm[2] / 2
    home = (piece.x, piece.y)
    edge = (doc.table.width, piece.y)  # half over the table's right edge
    pictures = []
    for start, end, marked in ((home, edge, 1), (edge, home, 0)):
        from_, to = (viewport.widget_point(x, y, half) for x, y in (start, end))
        mouse_drag(window, from_, to)
        unmarked = frame(window)
        qtbot.waitUntil(lambda: not window.viewport.motion.active)
        frame(window)  # (the still frame after the drag)
        before = drawn(window)
        qtbot.waitUntil(lambda m=marked: len(panel.marks.marked) == m, timeout=10000)  # type: ignore[misc]
        # The answer's frame drew only the mark's spot again; nothing drew the table.
        frames, quick, repaired = (a - b for a, b in zip(drawn(window), before, strict=True))
        assert repaired == 1 and frames == quick + repaired
        shown = frame(window)
        layer.enabled = False
        full = frame(window)
        layer.enabled = True
        assert differing(shown, full) < 100
        pictures.append((unmarked, full))
    # The mark was drawn, and then taken away (the pictures differ where it stood).
    assert differing(*pictures[0]) > 50
