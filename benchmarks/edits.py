"""Edits in the real window: group edits of 100 selected pieces on a 1,000-piece table, and a
full move (command → store → scene → render) at 10 vs 1,000 pieces, before and after.

    xvfb-run -a -s "-screen 0 1280x1024x24" .venv/bin/python benchmarks/edits.py \\
        [--baseline REV] [--pieces 1000] [--selected 100] [--runs 3]

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
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: main just before the desktop core rework (typed pieces, batches, spatial index).
DEFAULT_BASELINE = "ed8c8eb"
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


def open_window(folder: Path, count: int) -> Any:
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.ui.main_window import MainWindow
    from terrain_desktop.ui.qt import QApplication

    store = LocalStore(folder / f"bench-{count}.sqlite")
    table = store.create_table("Bench", *TABLE, placements=layout(count))
    store.set_meta("last_table", table)
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
    # The Checks and Line of sight docks re-check the whole table 150 ms after edits settle
    # (on the GUI thread, their own cost, not the edit's): left out of these timings.
    for dock in ("checks", "sight"):
        panel = getattr(window, dock, None)
        if panel is not None:
            panel.watcher.watch(None)
    return window


def action(window: Any, text: str) -> Any:
    from terrain_desktop.ui.qt import QToolBar

    bar = window.findChild(QToolBar, "main toolbar")
    return next(a for a in bar.actions() if a.text() == text)


def timed_action(window: Any, text: str) -> tuple[float, int, float]:
    """Seconds until the edit is shown, frames drawn, and seconds until the action returned
    (the edit applied, saved and the actors updated; a frame drawn inside it counts too)."""
    from terrain_desktop.ui.qt import QApplication

    before = COUNTERS[id(window)]["renders"] - _copies(window)
    start = time.perf_counter()
    action(window, text).trigger()
    applied = time.perf_counter() - start
    QApplication.processEvents()
    drawn = COUNTERS[id(window)]["renders"] - _copies(window) - before
    return time.perf_counter() - start, drawn, applied


def _copies(window: Any) -> int:
    """Frames that were a copy of the kept table with the selection drawn over it (the moving
    layer: Qt's repaint after a render is one); not counted as renders of the table."""
    layer = getattr(window.viewport.scene, "moving", None)
    return int(layer.quick_frames) if layer is not None else 0


def group_edits(folder: Path, count: int, selected: int) -> dict[str, tuple[float, int, float]]:
    from terrain_desktop.ui.qt import QApplication

    window = open_window(folder, count)
    doc = window.doc
    chosen = set(sorted(doc.pieces)[:: max(1, count // selected)][:selected])
    results = {}
    # The selection is drawn before the user reaches for the toolbar (as on screen).
    doc.select(chosen)
    QApplication.processEvents()
    results["rotate"] = timed_action(window, "Rotate right")
    doc.select(chosen)
    QApplication.processEvents()
    results["duplicate"] = timed_action(window, "Duplicate")  # selects the copies
    assert len(doc.pieces) == count + selected
    results["delete"] = timed_action(window, "Delete")
    assert len(doc.pieces) == count
    window.close()
    return results


def push(window: Any, command: Any) -> None:
    """The window's undo stack, as a drop pushes it (`editor.push` now, `push` before)."""
    editor = getattr(window, "editor", None)
    (editor.push if editor is not None else window.push)(command)


def full_move(folder: Path, count: int, moves: int) -> dict[str, list[float]]:
    """Drag one piece back and forth: the move command built (stacking included), pushed,
    saved and its actor moved ("edit"), then the view rendered ("full" includes it)."""
    from terrain_desktop.domain import commands
    from terrain_desktop.ui.qt import QApplication

    window = open_window(folder, count)
    doc = window.doc
    piece_id = sorted(doc.pieces)[len(doc.pieces) // 2]
    edit, full = [], []
    for n in range(moves):
        x = 300.0 + 25 * (n % 2)
        start = time.perf_counter()
        push(window, commands.move_to(doc, piece_id, x, 300.0))
        edited = time.perf_counter()
        QApplication.processEvents()
        full.append(time.perf_counter() - start)
        edit.append(edited - start)
    window.close()
    return {"edit": edit, "full": full}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """One side's figures (this process runs the code found first on sys.path)."""
    os.environ.setdefault("TERRAIN_DESKTOP_DATA", tempfile.mkdtemp())
    from terrain_desktop.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    assert app is not None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = [group_edits(folder / f"g{r}", args.pieces, args.selected) for r in range(args.runs)]
        small = full_move(folder / "m10", 10, args.moves)
        large = full_move(folder / f"m{args.pieces}", args.pieces, args.moves)
    return {
        "group": {k: [r[k] for r in runs] for k in runs[0]},
        "move_small": small,
        "move_large": large,
    }


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
    print(f"{'move, median':34}{'at 10':>9}{f'at {pieces}':>10}{'ratio':>8}")
    for part, label in (("edit", "command → store → actor"), ("full", "… and the frame drawn")):
        small = statistics.median(figures["move_small"][part]) * 1000
        large = statistics.median(figures["move_large"][part]) * 1000
        goal = "   goal: <= 1.5x" if part == "full" else ""
        print(f"{label:34}{small:7.1f}ms{large:8.1f}ms{large / small:7.2f}x{goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision for 'before'")
    parser.add_argument("--pieces", type=int, default=1000)
    parser.add_argument("--selected", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="group-edit repetitions (after)")
    parser.add_argument("--moves", type=int, default=20, help="moves timed at each size")
    parser.add_argument("--side", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    if args.side:
        print(json.dumps(measure(args)))
        return
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs an X display: run under xvfb-run (see the docstring)")
    after = run_side(REPO, args)
    report("after (this checkout)", after, args.pieces, args.selected)
    if args.no_baseline:
        return
    folder = Path(tempfile.mkdtemp(prefix="edits-baseline-"))
    try:
        once = argparse.Namespace(**{**vars(args), "runs": 1})
        before = run_side(baseline_tree(args.baseline, folder), once)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(f"before ({args.baseline})", before, args.pieces, args.selected)
    print("\nspeed-up, median before / median after:")
    for edit in after["group"]:
        b = statistics.median(run[0] for run in before["group"][edit])
        a = statistics.median(run[0] for run in after["group"][edit])
        print(f"  {edit:10}{b / a:8.1f}x")


if __name__ == "__main__":
    main()
