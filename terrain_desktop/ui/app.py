"""Starting the desktop app."""

import sys

from terrain_desktop.app_data import ensure_sample_table, open_store
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Terrain Builder")
    store = open_store()
    ensure_sample_table(store)
    window = MainWindow(store)
    window.show()
    return int(app.exec())
