"""Starting the desktop app."""

import sys

from terrain_desktop import __version__
from terrain_desktop.app_data import ensure_sample_table, open_store
from terrain_desktop.domain.catalogue import RESOURCES
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QIcon


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Terrain Builder")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("terrain-builder")  # matches resources/terrain-builder.desktop
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "terrain-builder.png")))
    store = open_store()
    ensure_sample_table(store)
    window = MainWindow(store)
    window.show()
    return int(app.exec())
