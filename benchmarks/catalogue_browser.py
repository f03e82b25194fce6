"""Scrolling the desktop's catalogue browser over 10,000 assets: time to show each page of
thumbnails, from the server (cold disk cache) and from the disk cache (warm), beside the
server's own search time for the same pages.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/catalogue_browser.py \
        [--assets 10000] [--pages 8] [--rounds 3]

Makes its own database on the local PostgreSQL (server/devdb.py), seeds it with SQL as
benchmarks/catalogue_search.py does, gives every asset one of the sample library's real
thumbnails (256 px PNG) in a storage directory, and runs `terrain-server serve` (one API
process, no job worker) on a loopback port. The real `CatalogueBrowser` widget, shown under
Xvfb, searches (newest first, no filter) and is scrolled to the end each time a page has all
its thumbnails, as a user reading down the list would.

Per page it prints, median (and min) over the rounds:
- `SQL`: the statements the search service runs for that page, replayed with psycopg;
- `API`: the same page asked of the HTTP API alone (the floor for any client);
- `API+thumbs`: that page and then its 24 thumbnails over plain HTTP (httpx, as many at once
  as the browser fetches): the floor for a cold page;
- `cold`: from the scroll (or the search) to the page's last thumbnail shown, thumbnails
  fetched from the server and written to the disk cache;
- `warm`: the same with every thumbnail already in the disk cache (a new browser, the same
  data directory: the search still asks the server).
`stall` is the longest the GUI thread was busy at once during the whole scroll (a 5 ms timer
measures the gaps): the list keeps scrolling while pages and thumbnails arrive.
"""

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.catalogue_search import SEED_SQL  # noqa: E402
from server import devdb, migrate  # noqa: E402
from server.db.engine import engine_for, session_factory  # noqa: E402
from server.services import catalogue  # noqa: E402

SAMPLES = ROOT / "resources" / "sample_library"
SLUGS = sorted(p.stem for p in SAMPLES.glob("*.png"))
PAGE = 24


def seed(url: str, assets: int, storage: Path) -> None:
    for slug in SLUGS:
        target = storage / "catalogue" / f"{slug}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / f"{slug}.png", target)
    with engine_for(url).begin() as connection:
        for statement in SEED_SQL.split(";\n"):
            if statement.strip():
                connection.execute(text(statement), {"n": assets})
        connection.execute(
            text(
                "UPDATE assets SET thumbnail_path = 'catalogue/' || "
                "(CAST(:slugs AS text[]))[1 + abs(hashtext(id::text)) % :n] || '.png'"
            ),
            {"slugs": SLUGS, "n": len(SLUGS)},
        )


def serve(url: str, storage: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "TERRAIN_STORAGE_DIR": str(storage)}
    command = [str(ROOT / ".venv" / "bin" / "terrain-server"), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--no-job-worker"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def statements_for(url: str, offset: int) -> list[tuple[str, Any]]:
    """The SQL the search service runs for this page of the newest assets."""
    engine = engine_for(url)
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with session_factory(engine)() as db:
        catalogue.search(db, catalogue.SearchQuery(limit=PAGE, offset=offset))
    event.remove(engine, "before_cursor_execute", capture)
    return captured


def floor(url: str, base: str, pages: int) -> tuple[list[float], list[float], list[float]]:
    """Per page, in ms: the service's SQL replayed; the API call; the API call and then the
    page's thumbnails over plain HTTP, as many at once as the browser asks."""
    from concurrent.futures import ThreadPoolExecutor

    from terrain_desktop.ui.catalogue_thumbs import FETCHES_AT_ONCE

    raw = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    sql, api, files = [], [], []
    pool = ThreadPoolExecutor(FETCHES_AT_ONCE)
    with psycopg.connect(raw) as pg, httpx.Client(base_url=base, timeout=30) as http:
        for page in range(pages):
            statements = statements_for(url, page * PAGE)
            start = time.perf_counter()
            with pg.cursor() as cursor:
                for statement, parameters in statements:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
            sql.append((time.perf_counter() - start) * 1000)
            pg.rollback()
            start = time.perf_counter()
            answer = http.get("/api/library/assets", params={"limit": PAGE, "offset": page * PAGE})
            api.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            answer = http.get("/api/library/assets", params={"limit": PAGE, "offset": page * PAGE})
            urls = [a["thumbnail_url"] for a in answer.json()["assets"]]
            list(pool.map(lambda u: http.get(u).content, urls))
            files.append((time.perf_counter() - start) * 1000)
    pool.shutdown()
    return sql, api, files


def scroll(app: Any, data_dir: Path, base: str, pages: int) -> tuple[list[float], float]:
    """A new browser on `data_dir`, scrolled page by page: ms per page, the longest stall."""
    os.environ["TERRAIN_DESKTOP_DATA"] = str(data_dir)
    from terrain_desktop.app.browsing import CatalogueBrowsing
    from terrain_desktop.app.editor import Editor
    from terrain_desktop.app.syncing import SyncOperation
    from terrain_desktop.app_data import catalogue_cache_dir
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.sync.catalogue_cache import CatalogueCache
    from terrain_desktop.ui.catalogue_browser import CatalogueBrowser
    from terrain_desktop.ui.qt import QEventLoop, QTimer

    store = LocalStore(data_dir / "terrain.sqlite")
    store.set_meta("server_url", base)
    browsing = CatalogueBrowsing(
        SyncOperation(store), Editor(store), CatalogueCache(catalogue_cache_dir())
    )
    browser = CatalogueBrowser(browsing)
    browser.resize(700, 900)
    browser.show()
    ticks: list[float] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def wait(condition: Any, seconds: float = 60) -> None:
        """Run the event loop (the GUI thread idle, as in the app) until `condition()`."""
        loop, poll = QEventLoop(), QTimer(interval=2)
        deadline = time.monotonic() + seconds

        def check() -> None:
            if condition() or time.monotonic() > deadline:
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        if not condition():
            loop.exec()
        poll.stop()
        if not condition():
            raise SystemExit("the browser did not show the page within 60 s")

    timer.start()
    browser.run_search()
    bar = browser.list.verticalScrollBar()
    for page in range(pages):
        wait(lambda p=page: len(browser.timings) > p and browser.timings[p].shown is not None)
        if page + 1 < pages:
            wait(lambda: bar.maximum() > 0)
            bar.setValue(bar.maximum())  # the user reaches the end of the list
    timer.stop()
    shown = [((t.shown or 0) - t.asked) * 1000 for t in browser.timings[:pages]]
    stall = max(b - a for a, b in itertools.pairwise(ticks)) * 1000
    browser.close()
    browsing.close()
    store.close()
    return shown, stall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from terrain_desktop.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    url = devdb.create_database(devdb.find_server(ROOT / ".pgdata"), "terrain_bench_browser")
    server = None
    try:
        migrate.upgrade(url, lambda _: None)
        seed(url, args.assets, work / "storage")
        server, base = serve(url, work / "storage")
        total = httpx.get(f"{base}/api/library/assets", params={"limit": 1}).json()["total"]
        print(f"{args.assets:,} assets seeded ({total:,} published); {args.rounds} rounds\n")
        kinds = ("sql", "api", "files", "cold", "warm")
        results: dict[str, list[list[float]]] = {k: [] for k in kinds}
        stalls: dict[str, list[float]] = {"cold": [], "warm": []}
        for round_ in range(args.rounds):
            data = work / f"profile-{round_}"
            sql, api, files = floor(url, base, args.pages)
            results["sql"].append(sql)
            results["api"].append(api)
            results["files"].append(files)
            for kind in ("cold", "warm"):  # the same data directory: warm finds the files
                shown, stall = scroll(app, data, base, args.pages)
                results[kind].append(shown)
                stalls[kind].append(stall)

        def cell(kind: str, page: int) -> str:
            values = [r[page] for r in results[kind]]
            return f"{statistics.median(values):7.1f} ({min(values):5.1f})"

        print("ms per page, median (min) over the rounds")
        print(
            f"{'page':>4} {'SQL':>15} {'API':>15} {'API+thumbs':>15} {'cold':>15} {'warm':>15} "
            f"{'cold/(API+thumbs)':>17} {'warm/API':>8}"
        )

        def ratio(a: str, b: str, page: int) -> float:
            return statistics.median(r[page] for r in results[a]) / statistics.median(
                r[page] for r in results[b]
            )

        for page in range(args.pages):
            print(
                f"{page + 1:>4} {cell('sql', page)} {cell('api', page)} {cell('files', page)} "
                f"{cell('cold', page)} {cell('warm', page)} {ratio('cold', 'files', page):16.1f}x "
                f"{ratio('warm', 'api', page):7.1f}x"
            )
        for kind in ("cold", "warm"):
            print(
                f"longest GUI-thread stall while scrolling ({kind}): median "
                f"{statistics.median(stalls[kind]):.0f} ms, max {max(stalls[kind]):.0f} ms"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        devdb.drop_database(url)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
