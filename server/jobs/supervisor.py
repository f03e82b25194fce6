"""`terrain-server serve` runs a worker beside uvicorn: one machine, nothing else to start.

The worker is a separate process (`terrain-server worker`), so nothing it does — or a crash
of its own — can take the API down; if it exits, it is started again after a pause.
"""

import logging
import subprocess
import sys
import threading
import time

from server.jobs import parent

log = logging.getLogger(__name__)

RESTART_PAUSE_S = 2.0
#: A worker that keeps exiting at once (no database, a bad setting) is restarted ever more
#: slowly, up to this pause, instead of every two seconds.
MAX_RESTART_PAUSE_S = 60.0


class WorkerProcess:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._keep_running, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _keep_running(self) -> None:
        pause = RESTART_PAUSE_S
        while not self._stop.is_set():
            started = time.monotonic()
            self._child = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "worker"], env=parent.child_environment()
            )
            code = self._child.wait()
            if self._stop.is_set():
                break
            ran_long = time.monotonic() - started > MAX_RESTART_PAUSE_S
            pause = RESTART_PAUSE_S if ran_long else min(pause * 2, MAX_RESTART_PAUSE_S)
            log.warning("the worker exited (%s); starting it again in %.0f s", code, pause)
            self._stop.wait(pause)

    def stop(self) -> None:
        self._stop.set()
        if self._child is not None and self._child.poll() is None:
            self._child.terminate()
            try:
                self._child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()
        self._thread.join(timeout=15)
