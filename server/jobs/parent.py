"""A worker that `serve` started ends with it, however `serve` ends.

`serve` stops its worker when it shuts down cleanly, but a `serve` killed outright (SIGKILL,
an OOM kill, a crashed supervisor) cannot. A worker left behind would go on claiming jobs with
a configuration nobody runs any more, so the kernel is asked to signal it when its parent goes
(Linux: PR_SET_PDEATHSIG), and it checks that the parent that started it is still there.
"""

import ctypes
import os
import signal

#: Set by `serve` in the environment of the worker it starts: serve's process id.
PARENT_ENV = "TERRAIN_WORKER_PARENT_PID"
PR_SET_PDEATHSIG = 1


def child_environment() -> dict[str, str]:
    return {**os.environ, PARENT_ENV: str(os.getpid())}


def follow_parent() -> bool:
    """Arrange a SIGTERM when the parent goes; False when it is already gone."""
    expected = os.environ.get(PARENT_ENV)
    if not expected:
        return True  # started by hand or by a process manager: it lives on its own
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: a clean `serve` shutdown still stops it
        pass
    return os.getppid() == int(expected)
