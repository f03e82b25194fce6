"""A screenshot of the catalogue browser for docs/screenshots/ (run by scripts/screenshots.sh).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/catalogue_screenshot.py

Needs the local PostgreSQL (as the tests do): makes a database of its own, migrates it, runs
`terrain-server seed` (the sample library published by the demo artists, with curated sets),
serves it on a loopback port, opens the app on a fresh data directory, lists the catalogue
(newest first) and opens an asset. Writes docs/screenshots/07-catalogue.png; the database is
dropped.
"""

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="catalogue-shot-"))
    os.environ["TERRAIN_DESKTOP_DATA"] = str(work / "desktop")
    import uvicorn
    from sqlalchemy.orm import Session

    from server import devdb, migrate
    from server.app import create_app
    from server.db.engine import engine_for
    from server.seed import seed
    from server.settings import Settings
    from server.storage import LocalStorage
    from terrain_desktop.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    url = devdb.create_database(devdb.find_server(REPO / ".pgdata"), "terrain_shot")
    server = None
    serving = None
    try:
        migrate.upgrade(url, lambda _: None)
        settings = Settings(database_url=url, storage_dir=str(work / "storage"))
        with Session(engine_for(url)) as db:
            seed(db, LocalStorage(work / "storage"), settings, lambda _: None)
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
        )
        serving = threading.Thread(target=server.run, daemon=True)
        serving.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        shoot(app, f"http://127.0.0.1:{port}")
    finally:
        if server is not None and serving is not None:
            # The server's shutdown writes its last view counts: let it end before the
            # database goes, or its flush meets a dropped connection.
            server.should_exit = True
            serving.join(timeout=30)
        devdb.drop_database(url)


def shoot(app: "QApplication", base: str) -> None:  # type: ignore[name-defined]  # noqa: F821
    from terrain_desktop.app_data import ensure_sample_table, open_store
    from terrain_desktop.ui.main_window import MainWindow

    def until(condition: object, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not condition():  # type: ignore[operator]
            app.processEvents()
            if time.monotonic() > deadline:
                raise SystemExit("the catalogue did not answer in time")
            time.sleep(0.01)

    store = open_store()
    ensure_sample_table(store)
    store.set_meta("server_url", base)
    window = MainWindow(store)
    window.show()
    window.actions_.catalogue.trigger()
    catalogue = window.catalogue_window
    browser = catalogue.browser  # type: ignore[union-attr]
    until(lambda: browser.timings and all(t.shown is not None for t in browser.timings))
    # The demo catalogue is more than a page: look the tower up as a user does, by typing.
    browser.search.setText("ruined")
    until(
        lambda: (
            browser.query.text == "ruined"
            and browser.item_named("Ruined tower") is not None
            and all(t.shown is not None for t in browser.timings)
        )
    )
    item = browser.item_named("Ruined tower")
    assert item is not None, "the seeded Ruined tower was not found"
    browser.list.setCurrentItem(item)
    until(lambda: catalogue.detail.mesh_shown)  # type: ignore[union-attr]
    for _ in range(20):
        app.processEvents()
    catalogue.detail.preview.render()  # type: ignore[union-attr]
    OUT.mkdir(parents=True, exist_ok=True)
    catalogue.grab().save(str(OUT / "07-catalogue.png"))  # type: ignore[union-attr]
    print("wrote docs/screenshots/07-catalogue.png")
    window.close()


if __name__ == "__main__":
    main()
