"""File → Print plan (3MF plates)…: printer and folder asked, plates written, summary shown."""

from pathlib import Path

import trimesh
from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QMessageBox
from tests.desktop.ui.conftest import answer_next_dialog


def test_print_plan_from_the_file_menu(qtbot: QtBot, open_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = open_window()
    [entry] = [a for a in window.menuBar().actions() if a.text() == "&File"]
    assert "Print plan (3MF plates)…" in [a.text() for a in entry.menu().actions()]
    shown: list[str] = []

    def read_summary(box) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.close()

    def choose_printer(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.setTextValue("Prusa MINI+")
        dialog.accept()
        answer_next_dialog(qtbot, read_summary)

    answer_next_dialog(qtbot, choose_printer)
    window.files.print_plan(str(tmp_path))

    plates = sorted(tmp_path.glob("plate-*.3mf"))
    assert len(plates) >= 2
    parts = sum(len(trimesh.load(p).graph.nodes_geometry) for p in plates)
    assert parts == 16  # the sample table's 17 pieces, less the hill too wide for the bed
    [text] = shown
    assert "Sample table on Prusa MINI+ (180 x 180 x 180 mm)" in text
    assert "Too big for the bed any way up: Rolling hill 1" in text
    assert "plates" in window.statusBar().currentMessage()
