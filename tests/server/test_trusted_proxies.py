"""`terrain-server serve` believes X-Forwarded-For only from TERRAIN_TRUSTED_PROXIES: behind the
load balancer each client keeps its own rate limits, and nobody else can choose the address
their attempts are counted against."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.server.test_serve import free_port
from tests.server.waiting import eventually

PROXY = "127.0.0.2"  # a second loopback address stands for the load balancer
STRANGER = "127.0.0.1"


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[str]:
    port, log = free_port(), tmp_path / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TERRAIN_STORAGE_DIR": str(tmp_path),
        "TERRAIN_TRUSTED_PROXIES": f"{PROXY}/32",
        "TERRAIN_RATE_LIMIT_LOGIN_ADDRESS": "2/minute",
        "TERRAIN_RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS": "100/minute",
    }
    env.pop("FORWARDED_ALLOW_IPS", None)
    env.pop("TERRAIN_RATE_LIMIT_STORAGE", None)
    command = ["serve", "--port", str(port), "--workers", "1", "--no-job-worker"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", *command],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert server.poll() is None, log.read_text()
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        eventually(answers, timeout=60, what="the server answering")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def peer(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def guess(client: httpx.Client, url: str, forwarded_for: str) -> int:
    answer = client.post(
        f"{url}/api/auth/login",
        json={"email": "someone@example.com", "password": "a guess"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return answer.status_code


def test_forwarded_addresses_count_only_from_a_trusted_proxy(served: str) -> None:
    with peer(STRANGER) as stranger, peer(PROXY) as proxy:
        # A stranger's made-up header changes nothing: every guess counts against its address.
        assert guess(stranger, served, "198.51.100.1") == 401
        assert guess(stranger, served, "198.51.100.2") == 401
        assert guess(stranger, served, "198.51.100.3") == 429

        # Through the proxy, each client is counted by the address the proxy forwards.
        assert guess(proxy, served, "203.0.113.1") == 401
        assert guess(proxy, served, "203.0.113.1") == 401
        assert guess(proxy, served, "203.0.113.1") == 429
        assert guess(proxy, served, "203.0.113.2") == 401  # another client behind the proxy
        # A client's own header, passed along by the proxy, does not let it pick its address.
        assert guess(proxy, served, "203.0.113.2, 203.0.113.1") == 429


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start() -> None:
    """uvicorn would take a typo for a host name that never matches, silently."""
    from pydantic import ValidationError

    from server.settings import Settings

    with pytest.raises(ValidationError, match="TERRAIN_TRUSTED_PROXIES"):
        Settings(trusted_proxies="lb.internal")
    assert Settings(trusted_proxies=" 10.0.0.0/8, ::1 ").trusted_proxies == "10.0.0.0/8,::1"
