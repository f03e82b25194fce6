"""Start-up: the app's first window (the sample table drawn) beside a bare PyVista window.

    xvfb-run -a .venv/bin/python benchmarks/startup.py [--runs 5] [--fresh]

Each run is a whole new process, timed from outside from spawn to exit, A and B in turn (so a
drift in the machine's speed hits both). A child exits right after the first frame of its 3D
view has been drawn, and prints how long that took from its own start ("first frame").

- `bare`: a `QMainWindow` holding a pyvistaqt `QtInteractor` with one shaded mesh: the floor
  for any PyVista desktop app.
- `app`: the real start-up path (`terrain_desktop.ui.app.open_window`) on a data directory
  holding the sample table.

`--fresh` gives every run an empty matplotlib cache and (for the app) an empty data directory:
a first launch on a new profile.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(kind: str) -> None:
    started = time.perf_counter()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    if kind == "bare":
        import pyvista as pv
        from PySide6.QtWidgets import QMainWindow
        from pyvistaqt import QtInteractor

        window = QMainWindow()
        window.resize(1400, 900)
        plotter = QtInteractor(window, auto_update=False, multi_samples=0)
        window.setCentralWidget(plotter.interactor)
        plotter.add_mesh(pv.Sphere(), color="tan")
        window.show()
        render_window = plotter.render_window
    else:
        from terrain_desktop.ui.app import open_window

        main = open_window(app)
        render_window = main.viewport.interactor.render_window
        window = main

    def drawn(*_: object) -> None:
        print(f"first frame {time.perf_counter() - started:.3f} s", flush=True)
        QTimer.singleShot(0, app.quit)

    render_window.AddObserver("EndEvent", drawn)
    app.exec()
    window.close()


def run(kind: str, fresh: bool, data: Path) -> tuple[float, float]:
    env = dict(os.environ)
    scratch = Path(tempfile.mkdtemp(prefix="startup-"))
    if fresh:
        env["MPLCONFIGDIR"] = str(scratch / "mpl")
        env["TERRAIN_DESKTOP_DATA"] = str(scratch / "data")
    else:
        env["TERRAIN_DESKTOP_DATA"] = str(data)
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--child", kind], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - began
    shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0 or "first frame" not in done.stdout:
        raise SystemExit(f"{kind} failed:\n{done.stdout}\n{done.stderr}")
    first = float(done.stdout.split("first frame")[1].split()[0])
    return wall, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="a new profile every run")
    parser.add_argument("--child", choices=["app", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    data = Path(tempfile.mkdtemp(prefix="startup-data-"))
    times: dict[str, list[tuple[float, float]]] = {"app": [], "bare": []}
    run("app", False, data)  # warm-up: creates the sample table, fills OS caches
    for _ in range(args.runs):
        for kind in ("app", "bare"):
            times[kind].append(run(kind, args.fresh, data))
    shutil.rmtree(data, ignore_errors=True)
    print(f"{args.runs} runs each, {'fresh profile' if args.fresh else 'warm profile'}")
    print("| window | process min | process median | first frame median |")
    print("|---|---:|---:|---:|")
    for kind in ("bare", "app"):
        walls = [w for w, _ in times[kind]]
        firsts = [f for _, f in times[kind]]
        print(
            f"| {kind} | {min(walls):.2f} s | {statistics.median(walls):.2f} s "
            f"| {statistics.median(firsts):.2f} s |"
        )
    ratios = [a[0] / b[0] for a, b in zip(times["app"], times["bare"], strict=True)]
    print(f"app / bare (process, paired): median {statistics.median(ratios):.2f}× (goal ≤ 1.3×)")


if __name__ == "__main__":
    main()
