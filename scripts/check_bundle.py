"""Smoke-test and time a built desktop bundle against the app run from the virtual environment.

Run under an X server (build-bundle.sh uses Xvfb). For each round, both programs start on a fresh
data directory, interleaved, and the time until their main window is on screen with the sample
table drawn is recorded; then the bundle's command line must work: `tables` and `render`,
import → new → add → export, and login → sync → status against a real server started here
(from the virtual environment, on a new PostgreSQL database). A screenshot of the bundled
window is kept for a person to look at.

    python scripts/check_bundle.py dist/terrain-desktop [--rounds 3] [--out build/bundle-check]
"""

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from PySide6.QtGui import QGuiApplication, QImage

WINDOW_TITLE = "Terrain Builder"
START_TIMEOUT = 120.0


def _window_geometry() -> tuple[int, int, int, int] | None:
    """The main window's (x, y, width, height) when X shows one titled like the app."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, check=False
    ).stdout
    for line in tree.splitlines():
        if f'"{WINDOW_TITLE}' not in line:
            continue
        # e.g. 0x1e00007 "Terrain Builder": ("terrain-desktop" ...)  1280x800+0+0  +0+0
        for token in line.split():
            if "x" in token and token.count("+") == 2 and token[0].isdigit():
                size, x, y = token.split("+")
                width, height = (int(v) for v in size.split("x"))
                if width > 200 and height > 200:
                    return int(x), int(y), width, height
    return None


def _drawn(image: QImage) -> bool:
    """A drawn window has many colours (thumbnails, the shaded table); a blank one has few."""
    colours = set()
    step = max(1, image.width() // 160)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
            if len(colours) > 200:
                return True
    return False


def _grab(geometry: tuple[int, int, int, int]) -> QImage:
    screen = QGuiApplication.primaryScreen()
    return screen.grabWindow(0, *geometry).toImage()


def time_first_window(command: list[str], data_dir: Path, shot: Path | None) -> float:
    """Seconds from launch until the window shows the table; the process is then closed."""
    env = dict(os.environ, TERRAIN_DESKTOP_DATA=str(data_dir))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} exited early:\n{process.stderr.read()}")  # type: ignore[union-attr]
            if time.perf_counter() - started > START_TIMEOUT:
                raise SystemExit(f"{command[0]}: no window within {START_TIMEOUT:.0f} s")
            geometry = _window_geometry()
            if geometry is not None:
                image = _grab(geometry)
                if _drawn(image):
                    elapsed = time.perf_counter() - started
                    if shot is not None:
                        image.save(str(shot))
                    return elapsed
            QGuiApplication.processEvents()
            time.sleep(0.05)  # polling the X server, not standing in for synchronisation
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def check_commands(bundle_exe: Path, data_dir: Path, out: Path) -> None:
    env = dict(os.environ, TERRAIN_DESKTOP_DATA=str(data_dir))
    tables = subprocess.run([bundle_exe, "tables"], env=env, capture_output=True, text=True)
    if tables.returncode != 0 or "Sample table" not in tables.stdout:
        raise SystemExit(f"bundle `tables` failed:\n{tables.stdout}{tables.stderr}")
    png = out / "render.png"
    render = subprocess.run(
        [bundle_exe, "render", "Sample table", "--out", png, "--size", "800x600"],
        env=env,
        capture_output=True,
        text=True,
    )
    if render.returncode != 0 or not _drawn(QImage(str(png))):
        raise SystemExit(f"bundle `render` failed:\n{render.stdout}{render.stderr}")
    version = subprocess.run([bundle_exe, "--version"], capture_output=True, text=True)
    print(f"bundle commands: tables ok, render ok ({png}), {version.stdout.strip()}")


REPO = Path(__file__).resolve().parent.parent


def _run(bundle_exe: Path, env: dict[str, str], *args: object) -> str:
    result = subprocess.run(
        [bundle_exe, *map(str, args)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bundle `{' '.join(map(str, args))}` failed:\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    """The real server from the virtual environment on a free port and a new database."""
    from server import devdb, migrate

    database = devdb.create_database(devdb.find_server(REPO / ".pgdata"), "bundle_check")
    migrate.upgrade(database, lambda _: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(
        os.environ, DATABASE_URL=database, TERRAIN_STORAGE_DIR=str(REPO / "build/bundle-storage")
    )
    server_exe = Path(sys.executable).parent / "terrain-server"
    process = subprocess.Popen(
        [server_exe, "serve", "--port", str(port), "--workers", "1", "--no-job-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server did not start:\n{process.stderr.read()}")  # type: ignore[union-attr]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            if time.perf_counter() - started > START_TIMEOUT:
                raise SystemExit("the server did not answer /health in time")
            time.sleep(0.2)  # polling a starting process, not standing in for synchronisation
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        devdb.drop_database(database)


def check_scripting(bundle_exe: Path, data_dir: Path, out: Path) -> None:
    """What a script does with the bundled CLI: make and fill a table, export it, sync it."""
    password = "bundle check pass"  # noqa: S105 (a throwaway account on a throwaway database)
    env = dict(os.environ, TERRAIN_DESKTOP_DATA=str(data_dir), TERRAIN_PASSWORD=password)
    model = REPO / "resources" / "sample_library" / "boulder.glb"
    _run(bundle_exe, env, "import", model, "--units", "mm", "--name", "Bundle boulder")
    _run(bundle_exe, env, "new", "Bundle check", "--size", "4x4ft")
    _run(bundle_exe, env, "add", "Bundle check", "Bundle boulder", "--count", "4")
    glb = out / "bundle-check.glb"
    _run(bundle_exe, env, "export", "Bundle check", "--format", "glb", "--out", glb)
    if glb.stat().st_size < 1000:
        raise SystemExit(f"bundle `export` wrote an empty scene ({glb})")
    with local_server() as url:
        email = f"bundle-{int(time.time())}@example.com"
        _run(
            bundle_exe,
            env,
            "login",
            "--server",
            url,
            "--email",
            email,
            "--register",
            "--token-file",
        )
        _run(bundle_exe, env, "sync")
        state = json.loads(_run(bundle_exe, env, "status", "--json"))
    if state["account"] != email or state["waiting"] or state["refused"]:
        raise SystemExit(f"bundle `sync` left: {state}")
    print("bundle scripting: import, new, add, export ok; login, sync, status ok")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle's folder, e.g. dist/terrain-desktop")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("build/bundle-check"))
    parser.add_argument(
        "--venv-app",
        default=str(Path(sys.executable).parent / "terrain-desktop"),
        help="the non-bundled app to compare with",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication(sys.argv[:1])
    bundle_exe = (args.bundle / "terrain-desktop").resolve()
    programs = {"bundle": [str(bundle_exe)], "venv": [args.venv_app]}
    times: dict[str, list[float]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(args.rounds):
            for name, command in programs.items():
                data = Path(scratch) / f"{name}-{round_number}"
                shot = args.out / "bundle-window.png" if name == "bundle" else None
                times[name].append(time_first_window(command, data, shot))
        check_commands(bundle_exe, Path(scratch) / "bundle-0", args.out)
        check_scripting(bundle_exe, Path(scratch) / "bundle-script", args.out)
    print(f"\nfirst window with the sample table, {args.rounds} rounds interleaved (s)")
    print(f"{'program':<8} {'min':>6} {'median':>7} {'max':>6}")
    for name, values in times.items():
        print(f"{name:<8} {min(values):6.2f} {statistics.median(values):7.2f} {max(values):6.2f}")
    ratio = statistics.median(times["bundle"]) / statistics.median(times["venv"])
    print(f"bundle / venv median: {ratio:.2f}x   (screenshot: {args.out / 'bundle-window.png'})")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
