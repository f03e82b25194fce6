"""`terrain-server serve` as an operator runs it: uvicorn plus its worker, real processes.

Hostile uploads (a 1 GiB zip bomb, one that lies about its size, the 183-byte PLY that used
to crash the server) end refused or `failed`; the API process stays up, its peak memory
stays near where it started, and nothing is left on disk.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import free_port
from tests.meshes import hostile, samples
from tests.server.test_migrations import REPO_ROOT

#: Peak memory the API process may add while taking these uploads (it was 2 GB).
MAX_GROWTH_MB = 100


def peak_rss_mb(pid: int) -> float:
    """The process's high-water resident set size (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def children(pid: int) -> set[int]:
    """Child processes, whichever of the process's threads started them."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)  # polling a condition, with a deadline
    raise AssertionError(f"timed out waiting for {what}")


class Served:
    def __init__(self, process: subprocess.Popen[bytes], url: str, storage: Path) -> None:
        self.process = process
        self.http = httpx.Client(base_url=url, timeout=60)
        self.storage = storage


@pytest.fixture
def served(database_url: str, tmp_path: Path, clean_database: None) -> Iterator[Served]:
    port = free_port()
    storage = tmp_path / "storage"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TERRAIN_STORAGE_DIR": str(storage),
        "TERRAIN_MAX_DECOMPRESSED_BYTES": str(256 * 2**20),
        "TERRAIN_WORKER_POLL_SECONDS": "0.2",
    }
    process = subprocess.Popen(
        # One uvicorn process, so the API is the serve process itself (its peak RSS is read).
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=REPO_ROOT,
    )
    served = Served(process, f"http://127.0.0.1:{port}", storage)

    def up() -> bool:
        assert process.poll() is None, "serve exited during start-up"
        try:
            return served.http.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    wait_for(up, 60, "the server to start")
    yield served
    served.http.close()
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def artist_token(http: httpx.Client) -> str:
    body = http.post(
        "/api/auth/register", json={"email": "bomb@example.com", "password": "long enough pw"}
    ).json()
    token = str(body["token"])
    became = http.post(
        "/api/artists/me",
        json={"artist_name": "Hostile Studio"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert became.status_code == 200, became.text
    return token


def test_hostile_uploads_leave_the_api_process_up_small_and_clean(served: Served) -> None:
    token = artist_token(served.http)
    auth = {"Authorization": f"Bearer {token}"}
    before = peak_rss_mb(served.process.pid)
    workers = children(served.process.pid)
    assert len(workers) == 1, "serve starts one worker process"

    def upload(name: str, data: bytes) -> httpx.Response:
        return served.http.post("/api/library/assets", files={"file": (name, data)}, headers=auth)

    gibibyte = hostile.three_mf_bomb(2**30)  # 1 MB packed
    bomb = upload("bomb.3mf", gibibyte)
    assert bomb.status_code == 413 and bomb.json()["code"] == "mesh_too_large"
    queued = {
        name: upload(name, data)
        for name, data in [
            ("lying.3mf", hostile.three_mf_lying(2**30, bomb=gibibyte)),
            ("issue9.ply", hostile.ply_face("3 0 1 -1")),
            ("huge.stl", hostile.stl_with(3e38)),
        ]
    }
    fine = upload("hill.stl", samples.export(samples.hill(), "stl"))
    assert all(r.status_code == 202 for r in [*queued.values(), fine]), [
        r.text for r in queued.values()
    ]

    def settled(response: httpx.Response) -> dict[str, Any] | None:
        asset_id = response.json()["asset"]["id"]
        asset = served.http.get(f"/api/library/assets/{asset_id}", headers=auth).json()["asset"]
        return None if asset["processing_state"] == "processing" else asset

    for name, response in queued.items():
        asset = wait_for(lambda r=response: settled(r), 120, f"{name} to be processed")
        assert asset["processing_state"] == "failed" and asset["processing_error"], name
    ready = wait_for(lambda: settled(fine), 120, "the honest upload to be processed")
    assert ready["processing_state"] == "ready"

    assert served.process.poll() is None
    assert served.http.get("/health").status_code == 200
    growth = peak_rss_mb(served.process.pid) - before
    print(f"API process peak RSS {before:.0f} MB before, +{growth:.1f} MB after the uploads")
    assert growth < MAX_GROWTH_MB
    kept = sorted({p.relative_to(served.storage).parts[0] for p in served.storage.rglob("*.*")})
    assert kept == ["originals", "thumbnails", "tiers", "views"]  # the honest upload's files only

    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=30) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
