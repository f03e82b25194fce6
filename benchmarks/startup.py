"""Start-up: the app's window until a user can use it, beside a bare PyVista window.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/startup.py \\
        [--runs 7] [--fresh] [--baseline REV]

Each run is a whole new process, `bare` and `app` in turn (so a drift in the machine's speed
hits both). The time is taken from the moment the parent spawns the process (the interpreter's
own start-up included) to the moment the window is **usable**, read on the same monotonic
clock in both processes:

- `bare`: a `QMainWindow` holding a pyvistaqt `QtInteractor` with one shaded mesh, the floor
  for any PyVista desktop app. Usable = shown, its first frame drawn, and one more turn of
  the event loop processed after that frame (a zero-timer fired: the window answers input).
- `app`: the real start-up path (`terrain_desktop.ui.app.open_window`) on a data directory
  holding the sample table. Usable = the window shown; the table drawn (first frame); the
  store open and the same table open in the editor; the docks (My tables, Pieces,
  Properties, Checks, Line of sight, Library), the menus, the toolbar and sync built
  (`MainWindow.ready` emitted, `finished` true, the Pieces dock listing the library); and
  then one more turn of the event loop processed (a zero-timer fired), as for `bare`.

Each child also prints its process's CPU time to the usable point (all its threads: the
Checks dock's worker, which starts with the docks, included), when its first frame came and
whether matplotlib was imported by the usable point. The table gives the range (min–max) and
median of each, and the app / bare ratio paired run by run. The load average is printed
before and after: on a shared machine read the paired ratio, not the seconds.

`--baseline REV` adds the app as it was at a git revision of this repository (extracted to a
temporary folder), run in the same rounds as the other two: a before and after on one
machine's load, which is how a change is judged on a shared machine.

`--fresh` gives every run an empty matplotlib cache and (for the app) an empty data directory:
a first launch on a new profile (the store is made, and the sample table, before the window).
"""

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def child(kind: str) -> None:
    spawned = float(os.environ["STARTUP_SPAWNED"])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    marks: dict[str, Any] = {}

    def usable() -> None:
        marks["usable"] = time.monotonic() - spawned
        marks["cpu"] = time.process_time()  # every thread of the process (Mesa's, workers)
        marks["matplotlib"] = "matplotlib" in sys.modules
        print(json.dumps(marks), flush=True)
        app.quit()

    def maybe_usable() -> None:
        if "first" in marks and marks.get("ready") and "queued" not in marks:
            marks["queued"] = True
            QTimer.singleShot(0, usable)  # one more turn of the event loop

    if kind == "bare":
        import pyvista as pv
        from PySide6.QtWidgets import QMainWindow
        from pyvistaqt import QtInteractor

        window: Any = QMainWindow()
        window.resize(1400, 900)
        plotter = QtInteractor(window, auto_update=False, multi_samples=0)
        window.setCentralWidget(plotter.interactor)
        plotter.add_mesh(pv.Sphere(), color="tan")
        window.show()
        render_window = plotter.render_window
        marks["ready"] = True
    else:
        from terrain_desktop.ui.app import open_window

        window = open_window(app)
        render_window = window.viewport.interactor.render_window

        def ready() -> None:
            assert window.drawer.list.count() > 0  # the Pieces dock lists the library
            marks["ready"] = True
            maybe_usable()

        if window.finished:  # a first launch builds the whole window before showing it
            ready()
        else:
            window.ready.connect(ready)

    def drawn(*_: object) -> None:
        if "first" not in marks:
            marks["first"] = time.monotonic() - spawned
            maybe_usable()

    render_window.AddObserver("EndEvent", drawn)
    app.exec()
    window.close()


def run(kind: str, fresh: bool, data: Path, code: Path | None = None) -> dict[str, Any]:
    """One start in a new process; `code`: a tree to import the app from (a baseline)."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    scratch = Path(tempfile.mkdtemp(prefix="startup-"))
    if fresh:
        env["MPLCONFIGDIR"] = str(scratch / "mpl")
        env["TERRAIN_DESKTOP_DATA"] = str(scratch / "data")
    else:
        env["TERRAIN_DESKTOP_DATA"] = str(data)
    env["STARTUP_SPAWNED"] = repr(time.monotonic())
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--child", kind], env=env, capture_output=True, text=True
    )
    shutil.rmtree(scratch, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{kind} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return dict(json.loads(lines[-1]))


def _range(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="a new profile every run")
    parser.add_argument("--baseline", metavar="REV", help="also time the app at this revision")
    parser.add_argument("--child", choices=["app", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs an X display: run under xvfb-run (see the docstring)")
    # An installed app has its bytecode; a fresh checkout run with PYTHONDONTWRITEBYTECODE
    # (as here) would compile the app's modules on every start, and the bare window has none.
    trees = {"app": REPO}
    if args.baseline:
        sys.path.insert(0, str(REPO))
        from benchmarks.edits import baseline_tree

        folder = Path(tempfile.mkdtemp(prefix="startup-baseline-"))
        trees["before"] = baseline_tree(args.baseline, folder)
    for tree in trees.values():
        for package in ("terrain_desktop", "terrain_protocol", "terrain_meshes"):
            compileall.compile_dir(tree / package, quiet=1)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    data = {name: Path(tempfile.mkdtemp(prefix="startup-data-")) for name in trees}
    code = {"app": None, "bare": None, "before": trees.get("before")}
    times: dict[str, list[dict[str, Any]]] = {"bare": [], **{name: [] for name in trees}}
    for name in trees:  # warm-up: creates the sample table, fills OS caches
        run("app", False, data[name], code[name])
    run("bare", False, data["app"])
    for n in range(args.runs):
        for name in list(times)[:: -1 if n % 2 else 1]:
            kind = "bare" if name == "bare" else "app"
            times[name].append(run(kind, args.fresh, data.get(name, data["app"]), code[name]))
    for folder in data.values():
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.runs} runs each, interleaved, {'fresh' if args.fresh else 'warm'} profile")
    print(
        "| window | usable, range | usable, median | first frame, median "
        "| CPU to usable, median | matplotlib |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for kind in times:
        usable = [t["usable"] for t in times[kind]]
        first = [t["first"] for t in times[kind]]
        mpl = sum(bool(t["matplotlib"]) for t in times[kind])
        cpu = statistics.median(t["cpu"] for t in times[kind])
        label = f"app at {args.baseline}" if kind == "before" else kind
        print(
            f"| {label} | {_range(usable)} | {statistics.median(usable):.2f} s "
            f"| {statistics.median(first):.2f} s | {cpu:.2f} s | imported in {mpl}/{args.runs} |"
        )
    pairs = list(zip(times["app"], times["bare"], strict=True))
    usable_ratios = [a["usable"] / b["usable"] for a, b in pairs]
    first_ratios = [a["first"] / b["first"] for a, b in pairs]
    print(
        f"app / bare, usable (paired): median {statistics.median(usable_ratios):.2f}× "
        f"(range {min(usable_ratios):.2f}–{max(usable_ratios):.2f}×; goal ≤ 1.5×)"
    )
    print(
        f"app / bare, first frame (paired): median {statistics.median(first_ratios):.2f}× "
        f"(range {min(first_ratios):.2f}–{max(first_ratios):.2f}×)"
    )
    if "before" in times:
        for name, base, other in (
            (f"app at {args.baseline} / bare", "before", "bare"),
            (f"app / app at {args.baseline}", "app", "before"),
        ):
            pairs = list(zip(times[base], times[other], strict=True))
            ratios = [a["usable"] / b["usable"] for a, b in pairs]
            print(
                f"{name}, usable (paired): median {statistics.median(ratios):.2f}× "
                f"(range {min(ratios):.2f}–{max(ratios):.2f}×)"
            )


if __name__ == "__main__":
    main()
