"""The real server on a loopback port, and desktop devices (store + client + engine) using it."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.settings import Settings
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.sync.engine import SyncEngine
from tests.desktop.ui.conftest import data_dir, open_window  # noqa: F401 (the window fixtures)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving the real app; can be stopped and started again on the same port."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            assert self._thread.is_alive(), "uvicorn stopped during start-up"
            assert time.monotonic() < deadline, "uvicorn did not start within 20 s"
            threading.Event().wait(0.02)

    def stop(self) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=20)


@pytest.fixture
def live(settings: Settings, clean_database: None) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    yield server
    server.stop()


class DropResponses(httpx.BaseTransport):
    """Delivers requests to the real server, then loses the answer of those `drop` picks:
    the server has done the work, the device never hears of it."""

    def __init__(self, drop: Callable[[httpx.Request], bool]) -> None:
        self.inner = httpx.HTTPTransport()
        self.drop = drop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if self.drop(request):
            response.read()
            response.close()
            raise httpx.ReadError("connection dropped after the server answered", request=request)
        return response


@dataclass
class Device:
    """One desktop installation: its own store, API client and sync engine."""

    store: LocalStore
    client: ApiClient
    engine: SyncEngine
    progress: list[Any] = field(default_factory=list)

    def sync(self) -> None:
        self.engine.sync_once()

    def state(self) -> dict[str, Any]:
        """What the user sees: tables the server knows, their fields, pieces and library."""
        return {
            t.id: {
                "name": t.name,
                "width": t.width,
                "depth": t.depth,
                "status": t.status,
                "placements": sorted(self.store.placements(t.id), key=lambda p: p["id"]),
                "library": self.store.library(t.id),
            }
            for t in self.store.tables(include_archived=True)
            if t.sync_state != "rejected"
        }


def make_device(
    tmp: Path,
    name: str,
    base_url: str,
    *,
    token: str | None = None,
    user_id: str | None = None,
    session_id: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Device:
    store = LocalStore(tmp / f"{name}.sqlite")
    client = ApiClient(
        base_url,
        token=token,
        session_id=session_id,
        transport=transport,
        retries=3,
        backoff=0.01,
    )
    device = Device(store, client, SyncEngine(store, client, user_id=user_id))
    device.engine.progress = device.progress.append
    return device


def register(base_url: str) -> tuple[str, str]:
    """A new account on the live server: (token, user id)."""
    email = f"sync-{time.monotonic_ns()}@example.com"
    response = httpx.post(
        f"{base_url}/api/auth/register", json={"email": email, "password": "long enough pass"}
    )
    response.raise_for_status()
    body = response.json()
    return body["token"], body["user"]["id"]


def server_state(base_url: str, headers: dict[str, str]) -> dict[str, Any]:
    """The same view as `Device.state`, read from the server's REST API."""
    listing = httpx.get(
        f"{base_url}/api/tables/mine", params={"status": "all", "limit": 100}, headers=headers
    ).json()
    state = {}
    for table in listing["tables"]:
        library = httpx.get(
            f"{base_url}/api/tables/{table['id']}/library", params={"limit": 200}, headers=headers
        ).json()
        state[table["id"]] = {
            "name": table["name"],
            "width": table["width"],
            "depth": table["depth"],
            "status": table["status"],
            "placements": sorted(table["layout"]["models"], key=lambda p: p["id"]),
            "library": sorted(a["id"] for a in library["assets"]),
        }
    return state
