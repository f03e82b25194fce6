"""Screenshots of the planning tools for docs/screenshots/ (run under a display or xvfb-run):

xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python scripts/planning_screenshots.py
"""

import sys
import tempfile
from pathlib import Path

from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.domain import commands
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def settle(app: QApplication, until: object = None, rounds: int = 400) -> None:
    for _ in range(rounds):
        app.processEvents()
        if until is not None and until():  # type: ignore[operator]
            return
        QApplication.instance().thread().msleep(25)  # type: ignore[union-attr]


def save(window: MainWindow, name: str) -> None:
    window.viewport.render()
    QApplication.processEvents()
    window.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as data:
        store = LocalStore(Path(data) / "terrain.sqlite")
        ensure_sample_table(store)
        window = MainWindow(store)
        window.resize(1600, 1000)
        window.show()
        settle(app, rounds=20)
        window.actions_.tour.hide()  # the first-start tour is not what these pictures show
        doc = window.doc
        assert doc is not None
        window.viewport.scene.view_top()

        sight = window.sight
        sight.zones.setCurrentText("long-edges")
        sight.heat_button.setChecked(True)
        settle(app, lambda: sight.sight is not None)
        save(window, "planning-heat-map-zones.png")

        sight.look_button.setChecked(True)
        sight.look_from(100, 450)
        save(window, "planning-look-from-a-cell.png")
        sight.heat_button.setChecked(False)

        moves = {
            "sample-boulder": {"x": 1200, "y": 340},  # half off the right edge
            "sample-barrel-cluster": {"x": 955, "y": 520},  # into the farmhouse
            "sample-crate-stack": {"x": 712, "y": 450},  # a finger's width from the tower
            "sample-pine-tree": {"x": 1000, "y": 80, "z": 95},  # in the air above the tank
        }
        for piece_id, fields in moves.items():
            window.editor.push(commands.set_fields(doc, {piece_id}, {"z": 0.0, **fields}))
        checks = window.checks
        settle(app, lambda: len(checks.findings) >= 4)
        save(window, "planning-check-marks.png")
        window.close()


if __name__ == "__main__":
    main()
