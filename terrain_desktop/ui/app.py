"""Starting the desktop app.

The 3D stack (VTK, pyvista, and matplotlib, which pyvista imports and which builds a font cache
on a first launch: tens of seconds on a machine with many fonts) is imported on a worker thread
while a start-up message shows, so the GUI thread never stalls unanswered.
"""

import sys
import threading
from typing import TYPE_CHECKING

from terrain_desktop import __version__
from terrain_desktop.ui.qt import QApplication, QEventLoop, QIcon, QLabel, QObject, Qt, Signal

if TYPE_CHECKING:  # importing it for real here would load VTK on the GUI thread
    from terrain_desktop.ui.main_window import MainWindow


class _Loaded(QObject):
    done = Signal()


def _import_3d_stack() -> None:
    import pyvista.plotting  # noqa: F401
    import pyvistaqt  # noqa: F401
    import qtawesome  # noqa: F401

    # The window's own dependencies without Qt: the store (SQLAlchemy), the protocol
    # (pydantic), the sync client (httpx).
    import terrain_desktop.app.editor
    import terrain_desktop.app.syncing
    import terrain_desktop.app_data  # noqa: F401


def preload_3d(app: QApplication) -> None:
    """Import the 3D stack off the GUI thread; the GUI thread keeps painting meanwhile."""
    if "pyvistaqt" in sys.modules:
        return
    splash = QLabel("Starting Terrain Builder…")
    splash.setWindowFlags(Qt.WindowType.SplashScreen)
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    splash.resize(320, 90)
    splash.show()
    loaded, loop = _Loaded(), QEventLoop()
    loaded.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        _import_3d_stack()
        loaded.done.emit()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    splash.close()


def open_window(app: QApplication) -> "MainWindow":
    """The main window on the user's last table, shown (the start-up benchmark times this)."""
    app.setApplicationName("Terrain Builder")
    app.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("terrain-builder")  # matches resources/terrain-builder.desktop
    preload_3d(app)
    from terrain_desktop.domain.catalogue import RESOURCES

    QApplication.setWindowIcon(QIcon(str(RESOURCES / "icons" / "terrain-builder.png")))
    from terrain_desktop.app_data import ensure_sample_table, open_store
    from terrain_desktop.ui.main_window import MainWindow

    store = open_store()
    ensure_sample_table(store)
    window = MainWindow(store)
    window.show()
    return window


def run() -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    window = open_window(app)
    code = int(app.exec())
    del window
    return code
