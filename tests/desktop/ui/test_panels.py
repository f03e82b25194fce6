"""The drawer, the properties panel, the ruler, tables and exports, used as a user uses them."""

import csv
from pathlib import Path

import numpy as np
from PIL import Image
from pytestqt.qtbot import QtBot

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.domain.piece import Batch
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QInputDialog, QMessageBox, Qt, QWidget
from tests.desktop.ui.conftest import answer_next_dialog
from tests.desktop.ui.test_journeys import mouse_drag

LIBRARY = {a.name: a for a in bundled_library().values()}


def click_piece(qtbot: QtBot, window: MainWindow, piece_id: str, shift: bool = False) -> None:
    piece = window.doc.pieces[piece_id]  # type: ignore[union-attr]
    height = LIBRARY_BY_ID[piece.asset_id].size_mm[2]
    point = window.viewport.widget_point(piece.x, piece.y, piece.z + height / 2)
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(
        window.viewport.interactor.interactor, Qt.MouseButton.LeftButton, modifier, point.toPoint()
    )


LIBRARY_BY_ID = bundled_library()


def test_drawer_filters_by_text_and_category(open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    drawer = window.drawer

    drawer.search.setText("barrel")
    assert sorted(drawer.list.item(i).text() for i in range(drawer.list.count())) == [
        "Barrel",
        "Barrel cluster",
    ]
    drawer.search.setText("")
    drawer.category.setCurrentText("Forest")
    names = {drawer.list.item(i).text() for i in range(drawer.list.count())}
    assert names == {"Pine tree", "Oak tree", "Small wood"}


def test_pieces_used_lately_lead_the_recently_used_strip(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    from terrain_desktop.domain import commands

    window.editor.push(commands.place(window.doc, LIBRARY["Water tank"], 100, 100))  # type: ignore[arg-type]

    assert window.drawer.recent_list.item(0).text() == "Water tank"


def test_properties_edit_the_selection_and_blank_mixed_values(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    window.viewport.scene.view_top()
    window.viewport.render()
    barrel, boulder = "sample-barrel-cluster", "sample-boulder"

    click_piece(qtbot, window, barrel)
    assert doc.selection == {barrel}
    assert window.properties.fields["x"].value() == doc.pieces[barrel].x
    click_piece(qtbot, window, boulder, shift=True)
    assert doc.selection == {barrel, boulder}
    x_box = window.properties.fields["x"]
    # Two pieces: X and Y are the group's centre (typing moves the group as one).
    assert x_box.value() == (doc.pieces[barrel].x + doc.pieces[boulder].x) / 2
    y_box = window.properties.fields["y"]
    assert y_box.value() == (doc.pieces[barrel].y + doc.pieces[boulder].y) / 2
    doc.apply(Batch(changed={boulder: {"scale": 1.5}}))  # different scales: shown blank
    assert window.properties.fields["scale"].text().strip() == ""
    doc.apply(Batch(changed={boulder: {"scale": 1.0}}))

    rotation = window.properties.fields["rotation"]
    rotation.setFocus()
    rotation.lineEdit().selectAll()
    qtbot.keyClicks(rotation, "45")
    qtbot.keyClick(rotation, Qt.Key.Key_Return)

    assert doc.pieces[barrel].rotation == doc.pieces[boulder].rotation == 45
    assert rotation.value() == 45
    window.undo_stack.undo()
    assert doc.pieces[boulder].rotation == 0


def test_ruler_measures_in_mm_and_inches(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    window.viewport.scene.view_top()
    window.viewport.render()
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.viewport.measuring
    widget = window.viewport.interactor.interactor
    for x, y in ((100, 100), (400, 500)):
        point = window.viewport.widget_point(x, y, 0).toPoint()
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)

    message = window.statusBar().currentMessage()
    assert abs(window.last_measurement - 500) < 5
    assert "mm" in message and '"' in message
    ruler = window.viewport.scene.ruler  # the line and its length in the view too
    assert ruler.line.GetVisibility() and ruler.label.GetVisibility()
    assert ruler.text in ("499 mm", "500 mm", "501 mm")
    window.inch_action.trigger()
    for x, y in ((100, 100), (400, 500)):
        point = window.viewport.widget_point(x, y, 0).toPoint()
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    assert ruler.text in ('19.6"', '19.7"')


def test_dragging_empty_table_does_not_move_pieces(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    before = dict(window.doc.pieces)  # type: ignore[union-attr]
    mouse_drag(
        window, window.viewport.widget_point(20, 880, 0), window.viewport.widget_point(60, 860, 0)
    )

    assert window.doc.pieces == before  # type: ignore[union-attr]


def test_rename_and_archive_tables(qtbot: QtBot, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    sample = window.doc.table_id  # type: ignore[union-attr]
    window.editor.create_table("Second", 1200, 900)
    window.editor.open_table(sample)

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Harbour raid", True))
    window.tables_panel.list.setCurrentRow(0)
    qtbot.mouseClick(window.tables_panel.rename_button, Qt.MouseButton.LeftButton)
    assert window.store.table(sample).name == "Harbour raid"  # type: ignore[union-attr]
    window.undo_stack.undo()
    assert window.store.table(sample).name == "Sample table"  # type: ignore[union-attr]

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(QMessageBox.StandardButton.Yes).click()

    answer_next_dialog(qtbot, confirm)
    qtbot.mouseClick(window.tables_panel.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store.table(sample).status == "archived")  # type: ignore[union-attr]
    assert [t.name for t in window.store.tables()] == ["Second"]
    assert window.doc is not None and window.doc.table.name == "Second"
    assert QApplication.activeModalWidget() is None


def test_exports_png_and_print_list(qtbot: QtBot, open_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()

    window.files.export_png(str(tmp_path / "view.png"))
    window.files.export_csv(str(tmp_path / "print.csv"))

    image = np.asarray(Image.open(tmp_path / "view.png").convert("RGB"), dtype=float)
    assert image.std(axis=(0, 1)).mean() > 10
    rows = list(csv.DictReader((tmp_path / "print.csv").open()))
    assert sum(int(r["count"]) for r in rows) == len(window.doc.pieces)  # type: ignore[union-attr]
    farmhouse = next(r for r in rows if r["asset"] == "Farmhouse")
    assert float(farmhouse["height_mm"]) == LIBRARY["Farmhouse"].size_mm[2]


def test_import_a_model_after_confirming_its_units(
    qtbot: QtBot,
    open_window,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from terrain_desktop.ui.import_dialog import ImportDialog
    from terrain_desktop.ui.qt import QDialogButtonBox
    from tests.meshes import samples

    window: MainWindow = open_window()
    source = samples.write(
        tmp_path, "watch_tower.stl", samples.export(samples.scaled(samples.hill(), 1 / 25.4), "stl")
    )
    seen: dict[str, str] = {}

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportDialog)
        seen["units"] = dialog.units.currentText()
        seen["size"] = dialog.size_label.text()
        assert dialog.preview is not None  # the model in 3D on the 25 mm grid
        image = np.asarray(dialog.preview.screenshot(return_img=True))
        seen["preview spread"] = str(float(image.reshape(-1, image.shape[2]).std(axis=0).mean()))
        dialog.name.setText("Watch tower")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, confirm)
    window.files.import_model(str(source))
    qtbot.waitUntil(lambda: window.drawer.item_for_name("Watch tower") is not None, timeout=30_000)

    assert seen["units"] == "inches" and seen["size"].startswith("60.0 × 60.0 × 25.0 mm")
    assert "2.4 × 2.4 squares of the 25 mm grid" in seen["size"]
    assert float(seen["preview spread"]) > 10.0
    assert window.drawer.recent_list.item(0).text() == "Watch tower"  # just imported: first
    assert any(a.name == "Watch tower" for a in window.editor.catalogue.imported.values())


def test_shift_drag_selects_with_a_rubber_band_then_copy_paste(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.qt import QEvent, QMouseEvent, QPointF

    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    window.viewport.scene.view_top()
    window.viewport.render()
    widget = window.viewport.interactor.interactor
    # A band over the left third of the table, from an empty spot near its corner.
    start = window.viewport.widget_point(5, 895, 0)
    end = window.viewport.widget_point(300, 5, 0)
    shift, left = Qt.KeyboardModifier.ShiftModifier, Qt.MouseButton.LeftButton
    for kind, pos, button in (
        (QEvent.Type.MouseButtonPress, start, left),
        (QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.NoButton),
        (QEvent.Type.MouseButtonRelease, end, left),
    ):
        QApplication.sendEvent(
            widget,
            QMouseEvent(kind, QPointF(pos), widget.mapToGlobal(QPointF(pos)), button, left, shift),
        )

    expected = {i for i, p in doc.pieces.items() if p.x <= 300}
    assert doc.selection == expected and len(expected) >= 3

    count = len(doc.pieces)
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.pieces) == count + len(expected)
    assert len(doc.selection) == len(expected) and not doc.selection & expected
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.pieces) == count


def test_a_ghost_follows_a_piece_dragged_in_from_the_drawer(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.qt import QDragEnterEvent, QDragMoveEvent, QDropEvent

    window: MainWindow = open_window()
    item = window.drawer.item_for(LIBRARY["Boulder"].id)
    assert item is not None
    mime = window.drawer.list.mimeData([item])
    target = window.viewport.interactor.interactor.mapTo(
        window.viewport, window.viewport.widget_point(600, 300, 0).toPoint()
    ).toPointF()
    actions, buttons = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    keys = Qt.KeyboardModifier.NoModifier

    point = target.toPoint()  # PySide 6.11 makes drag events at whole pixels only
    QApplication.sendEvent(window.viewport, QDragEnterEvent(point, actions, mime, buttons, keys))
    QApplication.sendEvent(window.viewport, QDragMoveEvent(point, actions, mime, buttons, keys))
    assert window.viewport.scene.ghost_visible
    QApplication.sendEvent(window.viewport, QDropEvent(target, actions, mime, buttons, keys))

    assert not window.viewport.scene.ghost_visible
    placed = [p for p in window.doc.pieces.values() if p.x == 600 and p.y == 300]  # type: ignore[union-attr]
    assert len(placed) == 1 and placed[0].asset_id == LIBRARY["Boulder"].id


def test_the_rotation_handle_turns_a_piece_in_fifteen_degree_steps(
    qtbot: QtBot, open_window
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    window.viewport.scene.view_top()
    window.viewport.render()
    piece_id = "sample-farmhouse"
    click_piece(qtbot, window, piece_id)
    handle = window.viewport.scene.handle_position()
    assert handle is not None
    piece = doc.pieces[piece_id]

    # Drag the knob to straight "north" of the piece, a little off: it snaps to 90°.
    start = window.viewport.widget_point(*handle)
    end = window.viewport.widget_point(piece.x + 4, piece.y + 150, handle[2])
    mouse_drag(window, start, end)

    assert doc.pieces[piece_id].rotation == 90
    assert (doc.pieces[piece_id].x, doc.pieces[piece_id].y) == (piece.x, piece.y)
    window.undo_stack.undo()
    assert doc.pieces[piece_id].rotation == 180


def test_inches_change_the_grid_and_are_remembered(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    window.inch_action.trigger()

    assert window.viewport.grid == 25.4
    assert '47.2"' in window.status.text()  # 1200 mm
    window.close()
    again: MainWindow = open_window()
    assert again.inch_action.isChecked() and again.viewport.grid == 25.4


def test_dragging_one_of_several_selected_pieces_moves_them_all(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    doc = window.doc
    assert doc is not None
    window.viewport.scene.view_top()
    window.viewport.render()
    a, b = "sample-barrel-cluster", "sample-boulder"
    click_piece(qtbot, window, a)
    click_piece(qtbot, window, b, shift=True)
    before = {i: (doc.pieces[i].x, doc.pieces[i].y) for i in (a, b)}
    piece = doc.pieces[a]
    height = LIBRARY_BY_ID[piece.asset_id].size_mm[2] / 2

    mouse_drag(
        window,
        window.viewport.widget_point(piece.x, piece.y, height),
        window.viewport.widget_point(piece.x - 100, piece.y - 50, height),
    )

    for i in (a, b):
        assert (doc.pieces[i].x, doc.pieces[i].y) == (before[i][0] - 100, before[i][1] - 50)
    window.undo_stack.undo()
    assert {i: (doc.pieces[i].x, doc.pieces[i].y) for i in (a, b)} == before


def test_the_server_address_can_be_set(qtbot: QtBot, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: ("https://terrain.example.com/ ", True)
    )

    window.syncing.server_action.trigger()

    assert window.sync.server_url() == "https://terrain.example.com"


def test_the_panels_accept_what_the_protocol_accepts(qtbot: QtBot, open_window) -> None:  # type: ignore[no-untyped-def]
    from terrain_desktop.ui.tables_panel import NewTableDialog
    from terrain_protocol.tables import (
        MAX_COORDINATE_MM,
        MAX_ROTATION_DEGREES,
        MAX_SCALE,
        MAX_TABLE_MM,
        MIN_TABLE_MM,
    )

    window: MainWindow = open_window()
    fields = window.properties.fields
    assert fields["x"].maximum() == fields["y"].maximum() == MAX_COORDINATE_MM
    assert fields["rotation"].maximum() == MAX_ROTATION_DEGREES
    assert fields["scale"].maximum() == MAX_SCALE
    dialog = NewTableDialog(window)
    assert (dialog.width_mm.minimum(), dialog.width_mm.maximum()) == (MIN_TABLE_MM, MAX_TABLE_MM)
    dialog.close()
