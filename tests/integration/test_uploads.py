"""The desktop's API client uploads a model to the real server on loopback and follows it
from `processing` to `ready` or `failed`, with a real `terrain-server worker` process."""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.settings import Settings
from terrain_desktop.sync.client import ApiClient, UploadCancelled
from terrain_protocol.catalogue import AssetOut
from tests.integration.conftest import LiveServer, register
from tests.meshes import hostile, samples
from tests.server.test_migrations import REPO_ROOT


@pytest.fixture
def artist(live: LiveServer) -> Iterator[ApiClient]:
    token, _ = register(live.url)
    became = httpx.post(
        f"{live.url}/api/artists/me",
        json={"artist_name": "Loopback Studio"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert became.status_code == 200, became.text
    client = ApiClient(live.url, token=token)
    yield client
    client.close()


@pytest.fixture
def worker(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """`terrain-server worker` as its own process, on the live server's database and storage."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TERRAIN_STORAGE_DIR": settings.storage_dir,
        "TERRAIN_WORKER_POLL_SECONDS": "0.2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "worker"], env=env, cwd=REPO_ROOT
    )
    yield process
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_an_upload_is_followed_from_processing_to_ready(
    artist: ApiClient, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    path = samples.write(tmp_path, "rolling_hill.stl", samples.export(samples.heavy(3), "stl"))
    sent: list[tuple[int, int]] = []
    seen: list[AssetOut] = []

    answer = artist.upload_asset(
        path, category="hills", tags=["hill"], on_progress=lambda n, total: sent.append((n, total))
    )
    asset = artist.wait_for_processing(answer.asset.id, on_progress=seen.append, poll_interval=0.1)

    assert answer.asset.processing_state == "processing" and not answer.deduplicated
    assert sent and sent[-1] == (path.stat().st_size, path.stat().st_size)
    assert asset.processing_state == "ready" and asset.processing_error is None
    assert asset.poly_count == 1280 and asset.tags == ["hill"] and asset.source_units == "mm"
    assert asset.thumbnail_url and asset.display_url
    assert [a.processing_state for a in seen][-1] == "ready"
    again = artist.upload_asset(path)
    assert again.deduplicated and again.asset.id == asset.id


def test_a_hostile_upload_ends_failed_with_a_reason(
    artist: ApiClient, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    path = samples.write(tmp_path, "issue9.ply", hostile.ply_face("3 0 1 -1"))

    answer = artist.upload_asset(path)
    asset = artist.wait_for_processing(answer.asset.id, poll_interval=0.1)

    assert asset.processing_state == "failed"
    assert asset.processing_error and "do not exist" in asset.processing_error
    assert worker.poll() is None  # the worker outlived the file; only its child saw it


def test_waiting_can_be_cancelled_while_processing(artist: ApiClient, tmp_path: Path) -> None:
    path = samples.write(tmp_path, "hill.stl", samples.export(samples.hill(), "stl"))
    answer = artist.upload_asset(path)  # no worker runs: it stays `processing`
    polls: list[str] = []

    with pytest.raises(UploadCancelled):
        artist.wait_for_processing(
            answer.asset.id,
            on_progress=lambda a: polls.append(a.processing_state),
            cancelled=lambda: len(polls) >= 2,
            poll_interval=0.05,
        )

    assert polls == ["processing", "processing"]
    assert artist.get_asset(uuid.UUID(str(answer.asset.id))).processing_state == "processing"
