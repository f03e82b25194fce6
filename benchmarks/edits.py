"""Edits in the real window: group edits of 100 selected pieces on a 1,000-piece table, and a
full move (command → store → scene → render) at 10 vs 1,000 pieces, before and after.

    xvfb-run -a -s "-screen 0 1280x1024x24" .venv/bin/python benchmarks/edits.py \\
        [--baseline REV | --no-baseline] [--pieces 1000] [--selected 100] [--runs 3] \\
        [--moves 20] [--burst 5] [--think-ms 250] [--docks both|on]

The windows are as a user has them: the Checks and Line of sight docks are there and follow
the table (the Checks dock re-checks it 150 ms after edits settle; Line of sight recomputes
only while its heat map is shown, off by default). A user pauses between moves, so moves come
in bursts of `--burst` with `--think-ms` of event loop between them (the checks run then, and
whatever of them is still running when the next move comes is part of that move's time).
The two sizes are interleaved: all windows are open at once and take turns, burst by burst,
in alternating order; after its burst a window's checks are let finish so that one window's
background work is not charged to the next.

What is timed is what a user waits for. A move is timed until its frame is shown, and any work
of the docks on the GUI thread that it meets (a check's answer listed, its marks drawn) is in
it. The Checks dock checks on a worker thread, so its check would not show in a move's time on
its own; it is timed as well: "checks up to date" is the time from a burst's last move shown
until the dock has checked the table as it is then and shown the answer, its marks drawn (its
150 ms settle timer included; the median over the bursts), and while a check runs the worker
competes with the moves for the CPU (2 cores, Python's GIL), which is in the moves' times.

Every move counts, the first one after the window opened included: the table shows the first,
the median, the mean and the worst. `--docks both` (default) also times windows whose two docks
are unplugged, as this benchmark did before, beside them. The load average is printed before
and after.

"before" is the same measurement on the code of git revision REV (default: main before the
desktop core rework), unpacked with `git archive` into a temporary folder and run in a
subprocess; "after" is this checkout. Both drive the window the same way a user does: select
pieces, trigger the toolbar's "Rotate right", "Duplicate" and "Delete" actions, and count the
view's renders per action. The move is the drag's command pushed on the window's undo stack.
Renders with Mesa's CPU renderer at the window's size, multisampling off.
"""

import argparse
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: main before issue 27's start-up and Checks work (the Checks dock read every mesh on the GUI
#: thread). `ed8c8eb`, before the desktop core rework, is the baseline of the older sections
#: of RESULTS.md: with the docks on, its checks take half a minute a time at 1,000 pieces.
DEFAULT_BASELINE = "787c547"
TABLE = (1800, 1200)
#: Frames drawn, by window.
COUNTERS: dict[int, dict[str, int]] = {}


def layout(count: int) -> list[dict[str, Any]]:
    """`count` bundled pieces on a grid over the table (some stacked where they overlap)."""
    from terrain_desktop.domain.catalogue import bundled_library

    assets = sorted(bundled_library())
    columns = max(1, int((count * TABLE[0] / TABLE[1]) ** 0.5))
    step_x, step_y = TABLE[0] / (columns + 1), TABLE[1] / (count // columns + 2)
    return [
        {
            "id": f"p{n:05d}",
            "modelId": assets[n % len(assets)],
            "x": step_x * (1 + n % columns),
            "y": step_y * (1 + n // columns),
        }
        for n in range(count)
    ]


def open_window(folder: Path, count: int, docks: bool = True) -> Any:
    """The main window on a new `count`-piece table, shown, its first check done. With
    `docks=False`, the Checks and Line of sight docks stop following the table (how this
    benchmark ran before: their cost left out)."""
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.ui.main_window import MainWindow
    from terrain_desktop.ui.qt import QApplication

    path = folder / f"bench-{count}-{'docks' if docks else 'bare'}.sqlite"
    store = LocalStore(path)
    table = store.create_table("Bench", *TABLE, placements=layout(count))
    store.set_meta("last_table", table)
    # Room to duplicate the selection: the plans' 1,000-piece limit is not what is measured.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE tables SET max_assets = ? WHERE id = ?", (2 * count + 100, table))
    window = MainWindow(store)
    window.show()
    deadline = time.monotonic() + 30
    while not window.isVisible() and time.monotonic() < deadline:
        QApplication.processEvents()
    QApplication.processEvents()
    counter = {"renders": 0}

    def frame_drawn(*_: Any) -> None:  # every frame VTK draws, whichever path asked for it
        counter["renders"] += 1

    window.viewport.interactor.ren_win.AddObserver("EndEvent", frame_drawn)
    COUNTERS[id(window)] = counter
    if not docks:
        for dock in ("checks", "sight"):
            panel = getattr(window, dock, None)
            if panel is not None:
                panel.watcher.watch(None)
    settle(window)
    return window


def _checking(window: Any) -> bool:
    """The docks have work queued or running (a settle timer, a check on its worker)."""
    for dock in ("checks", "sight"):
        panel = getattr(window, dock, None)
        if panel is None:
            continue
        timer = getattr(getattr(panel, "watcher", None), "_timer", None)
        if getattr(panel, "_op", None) is not None or (timer is not None and timer.isActive()):
            return True
    return False


def settle(window: Any, limit: float = 600.0) -> None:
    """Run the event loop until the window's docks are done with the table (not timed)."""
    from terrain_desktop.ui.qt import QApplication

    deadline = time.monotonic() + limit
    while _checking(window) and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.002)  # polling the condition, as qtbot.waitUntil does


def think(milliseconds: int) -> None:
    """A user's pause: the event loop runs (timers, checks' answers) for that long."""
    from terrain_desktop.ui.qt import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def action(window: Any, text: str) -> Any:
    from terrain_desktop.ui.qt import QToolBar

    bar = window.findChild(QToolBar, "main toolbar")
    return next(a for a in bar.actions() if a.text() == text)


def _shown(window: Any) -> None:
    """Until the frame asked for is drawn (the view renders on the next event-loop turn)."""
    from terrain_desktop.ui.qt import QApplication

    QApplication.processEvents()
    while getattr(window.viewport, "_render_pending", False):
        QApplication.processEvents()


def timed_action(window: Any, text: str) -> tuple[float, int, float]:
    """Seconds until the edit is shown, frames drawn, and seconds until the action returned
    (the edit applied, saved and the actors updated; a frame drawn inside it counts too)."""
    before = COUNTERS[id(window)]["renders"] - _copies(window)
    start = time.perf_counter()
    action(window, text).trigger()
    applied = time.perf_counter() - start
    _shown(window)
    drawn = COUNTERS[id(window)]["renders"] - _copies(window) - before
    return time.perf_counter() - start, drawn, applied


def _copies(window: Any) -> int:
    """Frames that were a copy of the kept table with the selection drawn over it (the moving
    layer: Qt's repaint after a render is one); not counted as renders of the table."""
    layer = getattr(window.viewport.scene, "moving", None)
    return int(layer.quick_frames) if layer is not None else 0


def group_edits(folder: Path, count: int, selected: int) -> dict[str, tuple[float, int, float]]:
    """Rotate, duplicate and delete the selection; the docks' checks after each edit run
    between the edits, as when a user looks at the result (not timed)."""
    from terrain_desktop.ui.qt import QApplication

    window = open_window(folder, count)
    doc = window.doc
    chosen = set(sorted(doc.pieces)[:: max(1, count // selected)][:selected])
    results = {}
    # The selection is drawn before the user reaches for the toolbar (as on screen).
    doc.select(chosen)
    QApplication.processEvents()
    results["rotate"] = timed_action(window, "Rotate right")
    settle(window)
    doc.select(chosen)
    QApplication.processEvents()
    results["duplicate"] = timed_action(window, "Duplicate")  # selects the copies
    assert len(doc.pieces) == count + selected
    settle(window)
    results["delete"] = timed_action(window, "Delete")
    assert len(doc.pieces) == count
    settle(window)
    window.close()
    return results


def push(window: Any, command: Any) -> None:
    """The window's undo stack, as a drop pushes it (`editor.push` now, `push` before)."""
    editor = getattr(window, "editor", None)
    (editor.push if editor is not None else window.push)(command)


def move_once(window: Any, n: int) -> tuple[float, float]:
    """One piece dragged to a new place: the move command built (stacking included), pushed,
    saved and its actor moved ("edit"), then the view drawn ("full" includes it)."""
    from terrain_desktop.domain import commands

    doc = window.doc
    piece_id = sorted(doc.pieces)[len(doc.pieces) // 2]
    start = time.perf_counter()
    push(window, commands.move_to(doc, piece_id, 300.0 + 25 * (n % 2), 300.0))
    edited = time.perf_counter()
    _shown(window)
    return edited - start, time.perf_counter() - start


def moves(folder: Path, args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    """Every window open at once; bursts of moves, window by window, in alternating order."""
    kinds = [(size, docks) for docks in DOCKS[args.docks] for size in (10, args.pieces)]
    windows = {kind: open_window(folder / "moves", *kind) for kind in kinds}
    times: dict[str, dict[str, list[float]]] = {
        _key(kind): {"edit": [], "full": [], "checked": []} for kind in kinds
    }
    rounds = max(1, args.moves // args.burst)
    for r in range(rounds):
        for kind in kinds if r % 2 == 0 else kinds[::-1]:
            window = windows[kind]
            window.raise_()
            window.activateWindow()
            for n in range(args.burst):
                edit, full = move_once(window, n)
                times[_key(kind)]["edit"].append(edit)
                times[_key(kind)]["full"].append(full)
                if n < args.burst - 1:
                    think(args.think_ms)
            # After the burst's last move: until the docks are up to date with it (the
            # Checks dock's settle timer, its check on the worker, its answer shown).
            shown = time.perf_counter()
            settle(window)
            _shown(window)  # the frame with the new marks, if they changed
            times[_key(kind)]["checked"].append(time.perf_counter() - shown)
    for window in windows.values():
        window.close()
    return times


DOCKS = {"both": (True, False), "on": (True,)}


def _key(kind: tuple[int, bool]) -> str:
    return f"{kind[0]}:{'docks' if kind[1] else 'bare'}"


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """One side's figures (this process runs the code found first on sys.path)."""
    os.environ.setdefault("TERRAIN_DESKTOP_DATA", tempfile.mkdtemp())
    from terrain_desktop.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    assert app is not None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "moves").mkdir()
        runs = []
        for r in range(args.runs):
            (folder / f"g{r}").mkdir()
            runs.append(group_edits(folder / f"g{r}", args.pieces, args.selected))
        moved = moves(folder, args)
    return {"group": {k: [r[k] for r in runs] for k in runs[0]}, "moves": moved}


def run_side(source: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, str(Path(__file__).resolve()), "--side", *_passed(args)]
    # Runs this very script with this interpreter: no outside input reaches the command.
    out = subprocess.run(  # noqa: S603
        command, env=env, cwd=source, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"{source}: {out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _passed(args: argparse.Namespace) -> list[str]:
    return [
        f"--pieces={args.pieces}",
        f"--selected={args.selected}",
        f"--runs={args.runs}",
        f"--moves={args.moves}",
        f"--burst={args.burst}",
        f"--think-ms={args.think_ms}",
        f"--docks={args.docks}",
    ]


def baseline_tree(rev: str, into: Path) -> Path:
    git = shutil.which("git") or "git"
    archive = subprocess.run(  # noqa: S603 (a revision of this repository, given by its user)
        [git, "archive", "--format=tar", rev], cwd=REPO, capture_output=True, check=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def report(name: str, figures: dict[str, Any], pieces: int, selected: int) -> None:
    print(f"\n{name}: {selected} selected pieces on a {pieces}-piece table")
    print(
        f"{'group edit':12}{'min s':>9}{'median s':>10}{'renders':>9}{'applied, median s':>19}"
        "   goal: <= 1 s, 1 render (full frames; copies not counted)"
    )
    for edit, runs in figures["group"].items():
        seconds = [run[0] for run in runs]
        renders = max(run[1] for run in runs)
        applied = statistics.median(run[2] for run in runs) if len(runs[0]) > 2 else float("nan")
        print(
            f"{edit:12}{min(seconds):9.3f}{statistics.median(seconds):10.3f}{renders:9d}"
            f"{applied:19.3f}"
        )
    moved = figures["moves"]
    print(
        f"\n{'move (ms), frame included':28}{'first':>8}{'median':>8}{'mean':>8}{'worst':>8}"
        f"{'edit median':>13}{'checks up to date':>19}"
    )
    for key, parts in moved.items():
        full = [t * 1000 for t in parts["full"]]
        edit = statistics.median(parts["edit"]) * 1000
        checked = statistics.median(parts.get("checked") or [float("nan")]) * 1000
        size, docks = key.split(":")
        label = f"{size} pieces, {'docks on' if docks == 'docks' else 'docks unplugged'}"
        print(
            f"{label:28}{full[0]:8.1f}{statistics.median(full):8.1f}"
            f"{statistics.fmean(full):8.1f}{max(full):8.1f}{edit:13.1f}{checked:19.1f}"
        )
    for docks in ("docks", "bare"):
        small, large = moved.get(f"10:{docks}"), moved.get(f"{pieces}:{docks}")
        if small is None or large is None:
            continue
        ratio = [f(large["full"]) / f(small["full"]) for f in (statistics.median, statistics.fmean)]
        what = "docks on" if docks == "docks" else "docks unplugged"
        print(
            f"{pieces} / 10 pieces, {what}: median {ratio[0]:.2f}x, mean {ratio[1]:.2f}x"
            "   (goal: <= 1.5x)"
        )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision for 'before'")
    parser.add_argument("--pieces", type=int, default=1000)
    parser.add_argument("--selected", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="group-edit repetitions (after)")
    parser.add_argument("--moves", type=int, default=20, help="moves timed in each window")
    parser.add_argument("--burst", type=int, default=5, help="moves in a row per window turn")
    parser.add_argument("--think-ms", type=int, default=250, help="a user's pause after a move")
    parser.add_argument("--docks", choices=sorted(DOCKS), default="both")
    parser.add_argument("--side", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    if args.side:
        print(json.dumps(measure(args)))
        return
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs an X display: run under xvfb-run (see the docstring)")
    print(f"load average before: {_load()}")
    after = run_side(REPO, args)
    print(f"load average after this checkout: {_load()}")
    report("after (this checkout)", after, args.pieces, args.selected)
    if args.no_baseline:
        return
    folder = Path(tempfile.mkdtemp(prefix="edits-baseline-"))
    try:
        once = argparse.Namespace(**{**vars(args), "runs": 1})
        before = run_side(baseline_tree(args.baseline, folder), once)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average after the baseline: {_load()}")
    report(f"before ({args.baseline})", before, args.pieces, args.selected)
    print("\nspeed-up, median before / median after:")
    for edit in after["group"]:
        b = statistics.median(run[0] for run in before["group"][edit])
        a = statistics.median(run[0] for run in after["group"][edit])
        print(f"  {edit:10}{b / a:8.1f}x")


if __name__ == "__main__":
    main()
