"""Starting the desktop app.

One worker thread imports the 3D stack (VTK, pyvista and pyvistaqt, without the matplotlib
pyvista would import: see plotting_import.py) and the modules the first frame needs, while the
GUI thread shows a start-up note (it never stalls unanswered). The GUI thread then draws the
user's last table, read without the store; once that frame is on screen the worker imports
everything else the window needs (the store, the protocol, sync, the docks), and then the
window is completed on the GUI thread: store, docks, menus, sync (`MainWindow.finish`).
"""

import contextlib
import importlib
import sys
import threading
from typing import TYPE_CHECKING

from terrain_desktop import __version__
from terrain_desktop.ui.qt import (
    QApplication,
    QEventLoop,
    QIcon,
    QLabel,
    QObject,
    Qt,
    QTimer,
    Signal,
)

if TYPE_CHECKING:  # importing it for real here would load VTK on the GUI thread
    from terrain_desktop.ui.main_window import MainWindow

#: What the first frame imports (the window holding only its 3D view, the table read with
#: sqlite3): imported before the GUI thread builds it, so the two threads never import the
#: same modules at once (concurrent imports of one package broke pydantic's circular imports).
FIRST_FRAME = (
    "terrain_desktop.app_data",
    "terrain_desktop.store.first_frame",
    "terrain_desktop.ui.main_window",
)

#: What `MainWindow.finish` needs: the store (sqlite3), the protocol (pydantic), the sync
#: client (keyring), the docks, menus and controllers. Not httpx: imported at a first request.
#: Not trimesh: the Checks dock reads meshes on its own worker (tests/desktop/ui/
#: test_startup.py checks both lists).
THE_REST = (
    "qtawesome",
    "terrain_desktop.app.shell",
    "terrain_desktop.app.editor",
    "terrain_desktop.app.syncing",
    "terrain_desktop.ui.artist_controller",
    "terrain_desktop.ui.catalogue_window",
    "terrain_desktop.ui.checks_panel",
    "terrain_desktop.ui.drawer",
    "terrain_desktop.ui.file_commands",
    "terrain_desktop.ui.library_dock",
    "terrain_desktop.ui.online",
    "terrain_desktop.ui.properties",
    "terrain_desktop.ui.shop_controller",
    "terrain_desktop.ui.sight_panel",
    "terrain_desktop.ui.sync_controller",
    "terrain_desktop.ui.tables_panel",
    "terrain_desktop.ui.thumbnails",
    "terrain_desktop.ui.undo",
    "terrain_desktop.ui.view_tools",
    "terrain_desktop.ui.window_actions",
)


def _import_3d_stack() -> None:
    """pyvista's plotting layer and pyvistaqt, without matplotlib (ui/plotting_import.py)."""
    from terrain_desktop.ui.plotting_import import import_plotting

    import_plotting()


def _import(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)


class Preload(QObject):
    """The start-up worker: `first_ready` once the first frame's imports are in, `rest_ready`
    once everything is. A module that failed to import here is imported again where it is
    used, on the GUI thread, and its error shows there."""

    first_ready = Signal()
    rest_ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.rest_done = threading.Event()
        #: Set once the first frame is on screen: the rest is imported after it. Imported
        #: while the GUI thread builds that frame, it slowed the frame more (both want
        #: Python's lock) than it saved (benchmarks/startup.py, RESULTS.md).
        self.first_frame_drawn = threading.Event()
        self._thread = threading.Thread(target=self._work, name="start-up imports", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _work(self) -> None:
        # A failed import here is made again, and raised, on the GUI thread where it is used.
        with contextlib.suppress(Exception):
            _import_3d_stack()
            _import(FIRST_FRAME)
        self.first_ready.emit()
        self.first_frame_drawn.wait()
        with contextlib.suppress(Exception):
            _import(THE_REST)
        self.rest_done.set()
        self.rest_ready.emit()


def _wait_for_first_imports(preload: Preload) -> None:
    """The worker's first part, with a start-up note on screen if it takes a while (the GUI
    thread keeps painting meanwhile)."""
    loop = QEventLoop()
    preload.first_ready.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    splash = None
    if "pyvistaqt" not in sys.modules:
        splash = QLabel("Starting Terrain Builder…")
        splash.setWindowFlags(Qt.WindowType.SplashScreen)
        splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splash.resize(320, 90)
        splash.show()
    preload.start()
    loop.exec()
    if splash is not None:
        splash.close()


def open_window(app: QApplication) -> "MainWindow":
    """The main window on the user's last table, shown; `MainWindow.ready` tells when it is
    complete (the start-up benchmark times both).

    The table is drawn first, read without the store (`store.first_frame`); the store, the
    docks, menus and online features follow once that frame is on screen and the worker has
    imported what they need."""
    app.setApplicationName("Terrain Builder")
    app.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("terrain-builder")  # matches resources/terrain-builder.desktop
    preload = Preload()
    _wait_for_first_imports(preload)
    from terrain_desktop.domain.catalogue import RESOURCES

    QApplication.setWindowIcon(QIcon(str(RESOURCES / "icons" / "terrain-builder.png")))
    from terrain_desktop.app_data import ensure_sample_table, open_store, store_path
    from terrain_desktop.store.first_frame import read_last_table
    from terrain_desktop.ui.main_window import MainWindow

    first = read_last_table(store_path())
    if first is None:  # a first launch: the store makes the sample table before anything shows
        preload.first_frame_drawn.set()
        preload.rest_done.wait()  # (the store's modules: not imported on two threads at once)
        store = open_store()
        ensure_sample_table(store)
        window = MainWindow(store)
        window.show()
        return window
    window = MainWindow(None, first=first)
    window.show()
    _finish_after_first_frame(window, preload)
    return window


def _finish_after_first_frame(window: "MainWindow", preload: Preload) -> None:
    """Once the first frame is drawn, let the worker import the rest; then `finish`."""
    waiting = {"frame", "imports"}

    def arrived(what: str) -> None:
        if what not in waiting:
            return
        waiting.discard(what)
        if not waiting:
            _complete(window)

    preload.setParent(window)  # kept alive until the window goes
    # (connected before the first frame: the worker imports the rest only after it)
    preload.rest_ready.connect(lambda: arrived("imports"), Qt.ConnectionType.QueuedConnection)
    render_window = window.viewport.interactor.render_window
    observer: list[int] = []

    def drawn(*_: object) -> None:
        render_window.RemoveObserver(observer[0])
        preload.first_frame_drawn.set()
        QTimer.singleShot(0, lambda: arrived("frame"))  # not inside VTK's render

    observer.append(render_window.AddObserver("EndEvent", drawn))


def _complete(window: "MainWindow") -> None:
    """The store opened and the window finished, drawn once: each dock, the menu bar, the
    toolbar and the status bar would otherwise resize the view in turn, and reopening the table
    redraw it, a whole frame each (nine of them). Then `ready`: the window is usable."""
    from terrain_desktop.app_data import ensure_sample_table, open_store

    store = open_store()
    ensure_sample_table(store)
    window.viewport.hold_renders(True)
    try:
        window.finish(store)
        for _ in range(3):  # the docks, then the bars they bring: laid out before it draws
            QApplication.sendPostedEvents(None, 0)
    finally:
        window.viewport.hold_renders(False)  # one frame, at the window's final size
    window.ready.emit()


def run() -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    window = open_window(app)
    code = int(app.exec())
    del window
    return code
