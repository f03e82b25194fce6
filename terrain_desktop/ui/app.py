"""Starting the desktop app.

The 3D stack (VTK, pyvista, but not the matplotlib pyvista imports: see plotting_import.py) is
imported on a worker thread while a start-up message shows, so the GUI thread never stalls
unanswered. Then the window shows
the last table, read without the store, and only after that first frame does it import and
build the rest (store, docks, menus, sync): see `open_window`.
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)


def _import_3d_stack() -> None:
    """pyvista's plotting layer and pyvistaqt, without matplotlib (ui/plotting_import.py)."""
    from terrain_desktop.ui.plotting_import import import_plotting

    import_plotting()


def _import_the_rest() -> None:
    """What the window needs after its first frame: the store (SQLAlchemy), the protocol
    (pydantic), the sync client (httpx, keyring), the planning docks (trimesh, shapely)."""
    import qtawesome  # noqa: F401

    import terrain_desktop.app.editor
    import terrain_desktop.app.syncing
    import terrain_desktop.ui.checks_panel
    import terrain_desktop.ui.sight_panel  # noqa: F401


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
    """The main window on the user's last table, shown (the start-up benchmark times this).

    The table is drawn first, read without the store (`store.first_frame`); the store, the
    docks, menus and online features follow once that frame is on screen: their imports run
    on a worker thread meanwhile, and the window is completed on the GUI thread."""
    app.setApplicationName("Terrain Builder")
    app.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("terrain-builder")  # matches resources/terrain-builder.desktop
    preload_3d(app)
    from terrain_desktop.domain.catalogue import RESOURCES

    QApplication.setWindowIcon(QIcon(str(RESOURCES / "icons" / "terrain-builder.png")))
    from terrain_desktop.app_data import ensure_sample_table, open_store, store_path
    from terrain_desktop.store.first_frame import read_last_table
    from terrain_desktop.ui.main_window import MainWindow

    first = read_last_table(store_path())
    if first is None:  # a first launch: the store makes the sample table before anything shows
        store = open_store()
        ensure_sample_table(store)
        window = MainWindow(store)
        window.show()
        return window
    window = MainWindow(None, first=first)
    window.show()
    _finish_after_first_frame(window)
    return window


def _finish_after_first_frame(window: "MainWindow") -> None:
    """Once the first frame is drawn, import the rest off the GUI thread, then `finish`."""
    ready = _Loaded(window)

    def complete() -> None:
        from terrain_desktop.app_data import ensure_sample_table, open_store

        store = open_store()
        ensure_sample_table(store)
        window.finish(store)

    ready.done.connect(complete, Qt.ConnectionType.QueuedConnection)
    render_window = window.viewport.interactor.render_window
    observer: list[int] = []

    def work() -> None:
        _import_the_rest()
        ready.done.emit()

    def drawn(*_: object) -> None:
        render_window.RemoveObserver(observer[0])
        threading.Thread(target=work, daemon=True).start()

    observer.append(render_window.AddObserver("EndEvent", drawn))


def run() -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    window = open_window(app)
    code = int(app.exec())
    del window
    return code
