"""Waiting on a condition (never a fixed sleep) for work the server finishes in the background."""

import threading
import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Return as soon as `condition()` holds; fail the test if it does not within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what or condition}"
        threading.Event().wait(0.02)
