"""Uploads: a heavy STL processed by the worker while the API keeps answering.

    .venv/bin/python benchmarks/uploads.py [--subdivisions 8] [--probes 200]

Starts `terrain-server serve --workers 1` (uvicorn plus its job worker) on a fresh database,
then measures, in the same run:

- floor: `/health` latency with nothing else going on (`--probes` sequential calls);
- during: the same calls while the worker processes an uploaded STL of
  20 * 4**subdivisions triangles (8: 1.3 M triangles, 65 MB, like the real model that took
  44 s and 1.7 GB inside the API process and made `/health` wait 12 s);

and prints min / median / p99 of both, how long the upload took to be answered (202) and to
become `ready`, and the API process's peak RSS before and after (VmHWM).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import trimesh

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from server import devdb, migrate  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def probe(http: httpx.Client, count: int, until: float | None = None) -> list[float]:
    """Sequential `/health` latencies in ms (stopping early once `until` has passed)."""
    latencies = []
    for _ in range(count):
        if until is not None and time.monotonic() > until:
            break
        start = time.perf_counter()
        assert http.get("/health").status_code == 200
        latencies.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)  # a polling client, not a flood
    return latencies


def row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name:<28} {len(values):>5} {ordered[0]:>9.1f} "
        f"{statistics.median(ordered):>9.1f} {p99:>9.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subdivisions", type=int, default=8)
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()

    database = devdb.create_database(devdb.find_server(REPO / ".pgdata"), "terrain_bench")
    migrate.upgrade(database, lambda _: None)
    scratch = Path(tempfile.mkdtemp(prefix="terrain-upload-bench-"))
    rock = trimesh.creation.icosphere(subdivisions=args.subdivisions, radius=40.0)
    model = scratch / "rock.stl"
    rock.export(model)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "TERRAIN_STORAGE_DIR": str(scratch / "storage"),
        "TERRAIN_WORKER_POLL_SECONDS": "0.2",
    }
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        token = http.post(
            "/api/auth/register", json={"email": "bench@example.com", "password": "long enough"}
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        http.post("/api/artists/me", json={"artist_name": "Bench"}, headers=auth)
        floor = probe(http, args.probes)
        rss_before = peak_rss_mb(server.pid)

        start = time.perf_counter()
        with model.open("rb") as handle:
            answer = http.post(
                "/api/library/assets", files={"file": ("rock.stl", handle)}, headers=auth
            )
        answered_s = time.perf_counter() - start
        assert answer.status_code == 202, answer.text
        asset_id = answer.json()["asset"]["id"]
        during: list[float] = []
        state = "processing"
        while state == "processing":
            during += probe(http, 20)
            asset = http.get(f"/api/library/assets/{asset_id}", headers=auth).json()["asset"]
            state = asset["processing_state"]
        ready_s = time.perf_counter() - start
        rss_after = peak_rss_mb(server.pid)
    finally:
        http.close()
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
        devdb.drop_database(database)

    size_mb = model.stat().st_size / 2**20
    print(f"model: {len(rock.faces):,} triangles, {size_mb:.0f} MB STL -> {state}")
    print(f"{'/health latency (ms)':<28} {'n':>5} {'min':>9} {'median':>9} {'p99':>9}")
    print(row("floor (idle server)", floor))
    print(row("while the worker processes", during))
    print(f"upload answered (202) in {answered_s:.2f} s; ready after {ready_s:.1f} s")
    print(f"API process peak RSS: {rss_before:.0f} MB before, {rss_after:.0f} MB after")


if __name__ == "__main__":
    main()
