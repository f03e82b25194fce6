"""Screenshots of the desktop online for docs/screenshots/ (run under a display or xvfb-run):

xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/online_screenshots.py

Starts the real server on a loopback port over a throwaway PostgreSQL database (the one on
127.0.0.1:5432, or a private cluster under .pgdata/), opens the app on a fresh data directory,
chooses that server and lets it sync, then shoots the sync indicator and plan line, the Share
dialog, and the table opened by its code on a second app profile.
"""

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"


def main() -> None:
    import socket

    import uvicorn

    from server import devdb, migrate
    from server.app import create_app
    from server.settings import Settings
    from terrain_desktop.app_data import ensure_sample_table
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.ui.main_window import MainWindow
    from terrain_desktop.ui.qt import QApplication

    app = QApplication(sys.argv)
    database = devdb.create_database(devdb.find_server(REPO / ".pgdata"), prefix="screenshots")
    migrate.upgrade(database, lambda _: None)
    work = Path(tempfile.mkdtemp(prefix="online-screenshots-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(database_url=database, storage_dir=str(work / "storage"))
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"

    def settle(until: Callable[[], bool], seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there in time")
            app.processEvents()
            time.sleep(0.02)
        for _ in range(10):
            app.processEvents()

    def open_profile(name: str) -> MainWindow:
        os.environ["TERRAIN_DESKTOP_DATA"] = str(work / name)
        (work / name).mkdir()
        store = LocalStore(work / name / "terrain.sqlite")
        ensure_sample_table(store)
        window = MainWindow(store)
        window.resize(1400, 900)
        window.show()
        window.sync.set_server_url(url)  # as File → Server address… does
        window.syncing.account_changed.emit(None)
        return window

    def shoot(widget: object, name: str) -> None:
        for _ in range(10):
            app.processEvents()
        widget.grab().save(str(OUT / name))  # type: ignore[attr-defined]
        print("wrote", OUT / name)

    try:
        settle(lambda: server.started)
        owner = open_profile("owner")
        settle(lambda: owner.online.indicator.text == "Up to date")
        owner.viewport.render()
        shoot(owner, "online-01-sync-indicator.png")
        owner.online.share_action.trigger()
        dialog = owner.online.share_dialog
        assert dialog is not None
        settle(lambda: len(dialog.code.text()) == 16)
        shoot(dialog, "online-02-share-dialog.png")
        code = dialog.code.text()
        dialog.close()

        viewer = open_profile("viewer")
        settle(lambda: viewer.online.indicator.text == "Up to date")
        viewer.online.open_code(code)
        settle(lambda: viewer.online.shared_view is not None)
        view = viewer.online.shared_view
        assert view is not None
        view.resize(1100, 760)
        settle(lambda: view.isVisible())
        view.viewport.render()
        shoot(view, "online-03-shared-table.png")
        for window in (viewer, owner):
            window.close()
    finally:
        server.should_exit = True
        time.sleep(0.5)  # let uvicorn close its connections before the database goes
        devdb.drop_database(database)


if __name__ == "__main__":
    main()
