"""The server's API over HTTP: timeouts everywhere, retries with backoff for what is temporary.

Retried: connection failures, timeouts, dropped connections, 502/503/504. Not retried: the
server's considered refusals (4xx), raised as `ApiRefused` with the server's error code.
Every call here is safe to repeat (push is idempotent by mutation id).
"""

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from terrain_protocol import auth
from terrain_protocol import sync as protocol
from terrain_protocol.plans import SESSION_HEADER

RETRYABLE_STATUS = {502, 503, 504}
M = TypeVar("M", bound=BaseModel)


class ApiUnavailable(Exception):
    """The server could not be reached, or stayed unavailable, after the retries."""


class ApiRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{message} ({code})")
        self.status = status
        self.code = code
        self.message = message


class ApiClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        session_id: str | None = None,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.25,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.token = token
        self.session_id = session_id
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.http = httpx.Client(
            base_url=base_url, timeout=httpx.Timeout(timeout, connect=5.0), transport=transport
        )

    def close(self) -> None:
        self.http.close()

    def _headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.session_id:
            return {SESSION_HEADER: self.session_id}
        return {}

    def request(self, method: str, path: str, json: Any = None) -> Any:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.http.request(method, path, json=json, headers=self._headers())
            except httpx.TransportError as exc:
                last = exc
                continue
            if response.status_code in RETRYABLE_STATUS:
                last = ApiUnavailable(f"{method} {path} answered {response.status_code}")
                continue
            if response.status_code >= 400:
                try:
                    body = response.json()
                    code, message = str(body.get("code")), str(body.get("error"))
                except ValueError:
                    code, message = "unknown", response.text[:200]
                raise ApiRefused(response.status_code, code, message)
            return response.json()
        raise ApiUnavailable(f"{method} {path} failed after {self.retries + 1} tries: {last}")

    def call(self, method: str, path: str, body: BaseModel | None, answer: type[M]) -> M:
        """One API call with protocol models on both sides."""
        payload = None if body is None else body.model_dump(mode="json", by_alias=True)
        return answer.model_validate(self.request(method, path, payload))

    def create_session(self) -> str:
        """A new anonymous session; its id goes with later calls while not signed in."""
        made = self.call("POST", "/api/sessions", None, auth.AnonymousSessionResponse)
        return str(made.session.id)

    def register(self, request: auth.RegisterRequest) -> auth.AuthResponse:
        return self.call("POST", "/api/auth/register", request, auth.AuthResponse)

    def login(self, request: auth.LoginRequest) -> auth.AuthResponse:
        return self.call("POST", "/api/auth/login", request, auth.AuthResponse)

    def push(
        self, client_id: uuid.UUID, mutations: list[protocol.Mutation]
    ) -> protocol.PushResponse:
        request = protocol.PushRequest(client_id=client_id, mutations=mutations)
        return self.call("POST", "/api/sync/push", request, protocol.PushResponse)

    def pull(self, client_id: uuid.UUID, cursor: int) -> protocol.PullResponse:
        request = protocol.PullRequest(client_id=client_id, cursor=cursor)
        return self.call("POST", "/api/sync/pull", request, protocol.PullResponse)
