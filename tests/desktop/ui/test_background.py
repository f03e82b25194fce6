"""Quitting while background work still runs prints nothing: Qt deletes the op's relay at
exit, and the work that ends afterwards has nobody to answer (it used to print "Signal
source has been deleted" with a traceback on the terminal at every such exit)."""

import os
import subprocess
import sys
import textwrap

#: The app quits while the work runs; the relay is then deleted, as Qt does at exit, before
#: the work is let finish (so the order is fixed, not left to the interpreter's shutdown).
QUIT_WHILE_WORKING = textwrap.dedent(
    """
    import sys, threading
    import shiboken6
    from terrain_desktop.ui.qt import QApplication, QThreadPool, QTimer
    from terrain_desktop.ui.background import BackgroundOp

    app = QApplication(sys.argv)
    gate = threading.Event()
    answers = []

    def work(context):
        context.report("halfway")
        gate.wait()
        if {fail}:
            raise ValueError("late failure")
        return "late answer"

    op = BackgroundOp(work, answers.append, answers.append).start()
    QTimer.singleShot(0, app.quit)
    app.exec()
    shiboken6.delete(op._relay)
    gate.set()
    QThreadPool.globalInstance().waitForDone()
    print("answers:", answers)
    """
)


def run_quitting(fail: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_WORKING.format(fail=fail)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", **os.environ},
    )


def test_work_that_ends_after_quitting_prints_no_traceback() -> None:
    done = run_quitting(fail=False)
    assert done.returncode == 0, done.stderr
    assert "answers: []" in done.stdout
    assert "Traceback" not in done.stderr and "deleted" not in done.stderr, done.stderr


def test_work_that_fails_after_quitting_prints_no_traceback() -> None:
    done = run_quitting(fail=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "deleted" not in done.stderr, done.stderr
