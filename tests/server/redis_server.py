"""A real Redis for the tests of rate limits shared between processes.

`TERRAIN_TEST_REDIS_URL` when set, else the Redis on 127.0.0.1:6379 when one answers, else a
private `redis-server` on a free port for this run. Keys of each test carry their own prefix,
so runs sharing a Redis (other worktrees, xdist workers) never see each other's counts.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

SHARED = "redis://127.0.0.1:6379/0"


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis for this run; the run fails (never skips) when there is none."""
    configured = os.environ.get("TERRAIN_TEST_REDIS_URL")
    if configured or answers(SHARED):
        yield configured or SHARED
        return
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        pytest.fail("Rate limit tests need Redis: install redis-server (scripts/install-system.sh)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while not answers(url):
            assert process.poll() is None, "redis-server stopped during start-up"
            assert time.monotonic() < deadline, "redis-server did not answer within 20 s"
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
