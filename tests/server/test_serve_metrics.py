"""`/metrics` with `terrain-server serve --workers 2`: a scrape answered by either API process
counts the requests both of them served (prometheus_client's multiprocess mode)."""

import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REPO_ROOT
from tests.server.redis_server import redis_url  # noqa: F401 (the fixture)
from tests.server.test_serve import free_port
from tests.server.waiting import eventually

TOKEN = "scrape-" + "y" * 24


def ready_requests(text: str) -> float:
    wanted = {"method": "GET", "route": "/ready", "status": "200"}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "terrain_http_requests_total" and sample.labels == wanted:
                return sample.value
    return 0.0


def test_a_scrape_sums_the_requests_of_every_api_process(
    database_url: str,
    tmp_path: Path,
    redis_url: str,  # noqa: F811 (the fixture)
) -> None:
    port, log, shared = free_port(), tmp_path / "serve.log", tmp_path / "metrics"
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TERRAIN_STORAGE_DIR": str(tmp_path),
        "TERRAIN_RATE_LIMIT_STORAGE": redis_url,
        "TERRAIN_RATE_LIMIT_PREFIX": f"test-metrics-{port}",
        "TERRAIN_METRICS_TOKEN": TOKEN,
        "TERRAIN_METRICS_DIR": str(shared),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    shared.mkdir()
    (shared / "counter_1.db").write_bytes(b"an earlier run's counts")  # removed at start
    command = ["serve", "--port", str(port), "--workers", "2", "--no-job-worker"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", *command],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    sent = 0

    def get_ready(_: int) -> int:
        with httpx.Client(timeout=30) as fresh:  # a new connection: either process may take it
            return fresh.get(f"{url}/ready").status_code

    def both_processes_served() -> bool:
        nonlocal sent
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(get_ready, range(16)))
        assert statuses == [200] * 16
        sent += 16
        pids = {re.sub(r"\D", "", p.stem) for p in shared.glob("counter_*.db")}
        return len(pids) == 2

    try:

        def started() -> bool:
            assert server.poll() is None, log.read_text()
            return len(set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))) == 2

        eventually(started, timeout=60, what="two API processes started")
        eventually(both_processes_served, timeout=60, what="both processes served requests")

        for _ in range(6):
            response = httpx.get(
                f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
            )
            assert response.status_code == 200, response.text
            assert ready_requests(response.text) == sent
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
