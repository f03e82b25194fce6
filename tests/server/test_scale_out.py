"""Two `terrain-server serve` processes on one PostgreSQL and one S3 endpoint behave as one server.

Each process is started as an operator would start it (its own OS process, configured by the
environment), so nothing is shared between them except the database and the bucket.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from server.db.models import Base, Job, User
from tests.conftest import REPO_ROOT
from tests.meshes import samples


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServeProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1"],
            env=env, cwd=REPO_ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited; see {self.log.name}"
            try:
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # polling a condition (readiness), with a deadline
        raise AssertionError(f"{self.url} was not ready within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def two_servers(
    database_url: str, engine: Engine, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """Started once for this module (each test uses accounts of its own); emptied afterwards."""
    tmp = tmp_path_factory.mktemp("scale-out")
    bucket = f"terrain-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    servers = []
    for name in ("a", "b"):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TERRAIN_STORAGE_URL": f"s3://{bucket}?endpoint={s3_endpoint}&region=us-east-1",
            "TERRAIN_STORAGE_CACHE_DIR": str(tmp / f"cache-{name}"),
        }
        servers.append(ServeProcess(env, tmp / f"serve-{name}.log"))
    try:
        for server in servers:
            server.wait_ready()
        yield servers[0].url, servers[1].url
    finally:
        for server in servers:
            server.stop()
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} CASCADE"))


def register(base: str) -> tuple[str, str]:
    email = f"scale-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(
        f"{base}/api/auth/register", json={"email": email, "password": "long enough password"}
    )
    assert response.status_code == 201, response.text
    return response.json()["token"], response.json()["user"]["id"]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_plan_limits_hold_across_processes(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    token, _ = register(a)

    def create(index: int) -> int:
        base = (a, b)[index % 2]
        for _ in range(10):  # as a client does: a 503 (lock wait gave up) is tried again
            response = httpx.post(
                f"{base}/api/tables",
                json={"name": f"Table {index}"},
                headers=auth(token),
                timeout=60,
            )
            if response.status_code != 503:
                return response.status_code
            time.sleep(float(response.headers.get("Retry-After", "1")))
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))

    assert sorted(statuses) == [201] * 3 + [402] * 5  # the free plan's limit, exactly
    for base in (a, b):
        mine = httpx.get(f"{base}/api/tables/mine", headers=auth(token)).json()
        assert mine["total"] == 3


def test_a_push_through_one_is_pulled_through_the_other(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    token, _ = register(a)
    table_id = str(uuid.uuid4())
    laptop, desktop = str(uuid.uuid4()), str(uuid.uuid4())

    pushed = httpx.post(
        f"{a}/api/sync/push",
        json={
            "client_id": laptop,
            "mutations": [
                {"kind": "create_table", "mutation_id": 1, "table_id": table_id, "name": "Keep"},
                {
                    "kind": "update_table",
                    "mutation_id": 2,
                    "table_id": table_id,
                    "fields": {"name": "Keep and river"},
                },
            ],
        },
        headers=auth(token),
    )
    pulled = httpx.post(
        f"{b}/api/sync/pull", json={"client_id": desktop, "cursor": 0}, headers=auth(token)
    )

    assert pushed.status_code == 200 and pushed.json()["applied"] == 2, pushed.text
    assert [(t["id"], t["name"]) for t in pulled.json()["tables"]] == [(table_id, "Keep and river")]


def make_artist(base: str, db: Session) -> str:
    token, user_id = register(base)
    artist = db.get(User, uuid.UUID(user_id))
    assert artist is not None
    artist.role = "artist"
    db.commit()
    return token


def upload(base: str, token: str, name: str, data: bytes) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/api/library/assets",
        files={"file": (name, data, "application/octet-stream")},
        headers=auth(token),
        timeout=120,
    )
    assert response.status_code == 202, response.text
    asset: dict[str, Any] = response.json()["asset"]
    return asset


def wait_processed(base: str, token: str, asset_ids: list[str], timeout: float = 240) -> None:
    """Until the workers have processed every asset (polling the API, with a deadline)."""
    deadline = time.monotonic() + timeout
    pending = set(asset_ids)
    while pending and time.monotonic() < deadline:
        for asset_id in list(pending):
            got = httpx.get(f"{base}/api/library/assets/{asset_id}", headers=auth(token))
            if got.json()["asset"]["processing_state"] != "processing":
                pending.discard(asset_id)
        time.sleep(0.2)  # polling a condition, with a deadline
    assert not pending, f"still processing after {timeout} s: {pending}"


def test_an_upload_through_one_is_served_by_the_other(
    two_servers: tuple[str, str], db: Session
) -> None:
    a, b = two_servers
    token = make_artist(a, db)

    asset = upload(a, token, "hill.stl", samples.export(samples.hill(), "stl"))
    wait_processed(b, token, [asset["id"]])
    ready = httpx.get(f"{b}/api/library/assets/{asset['id']}", headers=auth(token)).json()
    thumbnail = httpx.get(f"{b}{ready['asset']['thumbnail_url']}", headers=auth(token))
    display = httpx.get(f"{b}{ready['asset']['display_url']}", headers=auth(token))

    assert ready["asset"]["processing_state"] == "ready"
    assert thumbnail.status_code == 200 and thumbnail.content.startswith(b"\x89PNG")
    assert display.status_code == 200 and display.content[:4] == b"glTF"
    same = httpx.get(f"{a}{ready['asset']['display_url']}", headers=auth(token))
    assert same.content == display.content


def test_each_job_runs_exactly_once_with_two_workers(
    two_servers: tuple[str, str], db: Session
) -> None:
    # Each `serve` process runs a job worker beside it: two workers claim from one queue.
    a, b = two_servers
    token = make_artist(a, db)
    uploads = [
        upload((a, b)[i % 2], token, f"hill-{i}.stl", samples.export(samples.hill(40 + i), "stl"))
        for i in range(6)
    ]
    ids = [asset["id"] for asset in uploads]

    wait_processed(a, token, ids)

    jobs = db.execute(
        select(Job.payload["asset_id"].astext, Job.status, Job.attempts).where(
            Job.payload["asset_id"].astext.in_(ids)
        )
    ).all()
    assert sorted(asset_id for asset_id, _, _ in jobs) == sorted(ids)  # one job per upload
    assert {(status, attempts) for _, status, attempts in jobs} == {("done", 1)}  # each once
