"""`terrain-server serve --workers N` as an operator runs it: N API processes on one port."""

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import REPO_ROOT
from tests.server.waiting import eventually


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_runs_the_requested_number_of_api_processes(
    database_url: str, tmp_path: Path
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    env = {**os.environ, "DATABASE_URL": database_url, "TERRAIN_STORAGE_DIR": str(tmp_path)}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def both_started() -> bool:
            assert server.poll() is None, log.read_text()
            return len(set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))) == 2

        eventually(both_started, timeout=60, what="two API processes started")
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert health.json() == {"status": "ok", "database": "ok"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
