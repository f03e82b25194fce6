"""`terrain-server serve` runs a worker beside uvicorn: one machine, nothing else to start.

The worker is a separate process (`terrain-server worker`), so nothing it does — or a crash
of its own — can take the API down; if it exits, it is started again after a pause.
"""

import logging
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

RESTART_PAUSE_S = 2.0


class WorkerProcess:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._keep_running, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _keep_running(self) -> None:
        while not self._stop.is_set():
            self._child = subprocess.Popen([sys.executable, "-m", "server.cli", "worker"])
            code = self._child.wait()
            if not self._stop.is_set():
                log.warning("the worker exited (%s); starting it again", code)
                self._stop.wait(RESTART_PAUSE_S)

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
