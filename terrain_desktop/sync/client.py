"""The server's API over HTTP: timeouts everywhere, retries with backoff for what is temporary.

What is retried is decided in `retries`: only what repeating cannot do twice (reads, writes
the server makes idempotent, a request with an `Idempotency-Key`). The server's considered
refusals (4xx) raise `ApiRefused` with its error code; a server that stays unreachable or
busy, `ApiUnavailable`. A user action that must not happen twice (a Check out) makes one
`Idempotency-Key` and all its tries send it.
"""

import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from tenacity import RetryError

from terrain_desktop.sync.retries import (
    IDEMPOTENT_METHODS,
    RETRYABLE_STATUS,
    ApiRefused,
    ApiUnavailable,
    BusyAnswer,
    policy,
    refusal,
)

if TYPE_CHECKING:  # imported where a request is made (~0.1 s off every start-up)
    import httpx
from terrain_protocol import auth
from terrain_protocol import sync as protocol
from terrain_protocol.catalogue import AssetOut, AssetResponse, UnitsName, UploadResponse
from terrain_protocol.plans import SESSION_HEADER
from terrain_protocol.wire import IDEMPOTENCY_HEADER

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "ApiClient",
    "ApiRefused",
    "ApiUnavailable",
    "ProcessingTimedOut",
    "UploadCancelled",
]


class UploadCancelled(Exception):
    """The caller's `cancelled` hook asked to stop waiting (the upload itself stays)."""


class ProcessingTimedOut(Exception):
    """The asset was still `processing` when the caller's patience ran out."""


class _ProgressReader:
    """A file whose reads report how many bytes have gone out so far."""

    def __init__(self, handle: IO[bytes], total: int, report: Callable[[int, int], None]) -> None:
        self.handle = handle
        self.total = total
        self.sent = 0
        self.report = report

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.sent += len(chunk)
        self.report(self.sent, self.total)
        return chunk


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
        transport: "httpx.BaseTransport | None" = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.token = token
        self.session_id = session_id
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        import httpx

        self.http = httpx.Client(
            base_url=base_url, timeout=httpx.Timeout(timeout, connect=5.0), transport=transport
        )

    def close(self) -> None:
        self.http.close()

    def auth_headers(self) -> dict[str, str]:
        """The credentials `request` sends, for a call made outside it (a streamed download)."""
        return self._headers()

    def _headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.session_id:
            return {SESSION_HEADER: self.session_id}
        return {}

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        body: Callable[[ExitStack], dict[str, Any]] | None = None,
        idempotency_key: str | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """One API call; its JSON answer."""
        return self.response(
            method, path, json, body=body, idempotency_key=idempotency_key, idempotent=idempotent
        ).json()

    def response(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        body: Callable[[ExitStack], dict[str, Any]] | None = None,
        idempotency_key: str | None = None,
        idempotent: bool | None = None,
    ) -> "httpx.Response":
        """The successful response to one call, retried while the server is unreachable or
        busy if repeating the call is safe; a refusal raises `ApiRefused`. `body`, when
        given, builds the request's content afresh for each try (a file upload reopens its
        file); what it opens closes with the try. `idempotency_key` goes out with every try;
        `idempotent` says whether a repeat is harmless (default: an idempotent method, or a
        key)."""
        keyed = idempotency_key is not None
        repeatable = idempotent if idempotent is not None else method in IDEMPOTENT_METHODS
        extra = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key is not None else {}

        import httpx

        def attempt() -> httpx.Response:
            with ExitStack() as stack:
                content = body(stack) if body else {"json": json}
                headers = {**self._headers(), **extra, **content.pop("headers", {})}
                response = self.http.request(method, path, headers=headers, **content)
            if response.status_code in RETRYABLE_STATUS:
                raise BusyAnswer(f"{method} {path} answered {response.status_code}")
            if response.status_code >= 400:
                raise refusal(response)
            return response

        retrying = policy(
            self.retries + 1, self.backoff, self.sleep, repeatable=repeatable, keyed=keyed
        )
        try:
            return retrying(attempt)
        except RetryError as exhausted:
            last = exhausted.last_attempt.exception()
            raise ApiUnavailable(
                f"{method} {path} failed after {self.retries + 1} tries: {last}"
            ) from last
        except (httpx.TransportError, BusyAnswer) as exc:
            raise ApiUnavailable(
                f"{method} {path} failed and was not repeated (the server may have done it): {exc}"
            ) from exc

    def call(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        answer: type[M],
        *,
        idempotency_key: str | None = None,
        idempotent: bool | None = None,
    ) -> M:
        """One API call with protocol models on both sides."""
        payload = None if body is None else body.model_dump(mode="json", by_alias=True)
        reply = self.request(
            method, path, payload, idempotency_key=idempotency_key, idempotent=idempotent
        )
        return answer.model_validate(reply)

    def create_session(self) -> str:
        """A new anonymous session; its id goes with later calls while not signed in.

        Repeatable: a session made by a try whose answer was lost is never used and expires
        empty."""
        made = self.call(
            "POST", "/api/sessions", None, auth.AnonymousSessionResponse, idempotent=True
        )
        return str(made.session.id)

    def register(self, request: auth.RegisterRequest) -> auth.AuthResponse:
        """Not repeated after a lost answer: the repeat would find the e-mail taken."""
        return self.call("POST", "/api/auth/register", request, auth.AuthResponse)

    def login(self, request: auth.LoginRequest) -> auth.AuthResponse:
        """Repeatable: a token issued to a try whose answer was lost is never used."""
        return self.call("POST", "/api/auth/login", request, auth.AuthResponse, idempotent=True)

    def push(
        self, client_id: uuid.UUID, mutations: Sequence[protocol.Mutation | str]
    ) -> protocol.PushResponse:
        """Send mutations: protocol models, or JSON text as queued (the server checks each and
        refuses a bad one on its own). Queued text goes out as it is, not decoded and encoded
        again."""
        items = (m if isinstance(m, str) else m.model_dump_json(by_alias=True) for m in mutations)
        content = (
            '{"client_id": ' + json.dumps(str(client_id)) + ', "mutations": [' + ", ".join(items)
        ) + "]}"
        data = content.encode()

        def body(_: ExitStack) -> dict[str, Any]:
            return {"content": data, "headers": {"Content-Type": "application/json"}}

        answer = self.request("POST", "/api/sync/push", body=body, idempotent=True)
        return protocol.PushResponse.model_validate(answer)

    def pull(
        self, client_id: uuid.UUID, cursor: int, *, keeps_copy: bool = False
    ) -> protocol.PullResponse:
        request = protocol.PullRequest(client_id=client_id, cursor=cursor, keeps_copy=keeps_copy)
        return self.call("POST", "/api/sync/pull", request, protocol.PullResponse, idempotent=True)

    def upload_asset(
        self,
        path: Path,
        *,
        name: str | None = None,
        category: str | None = None,
        tags: Iterable[str] = (),
        units: UnitsName | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        timeout: float = 600.0,
    ) -> UploadResponse:
        """Send a model file; the answer's asset is `processing` (202) or, for a file this
        artist uploaded before, the existing asset (200, `deduplicated`). Safe to retry: the
        server recognises the same file by its content hash."""
        total = path.stat().st_size
        fields = {"name": name, "category": category, "units": units, "tags": ",".join(tags)}

        def body(stack: ExitStack) -> dict[str, Any]:
            import httpx

            handle: IO[bytes] = stack.enter_context(path.open("rb"))
            if on_progress is not None:
                handle = _ProgressReader(handle, total, on_progress)  # type: ignore[assignment]
            return {
                "files": {"file": (path.name, handle, "application/octet-stream")},
                "data": {k: v for k, v in fields.items() if v},
                "timeout": httpx.Timeout(timeout, connect=5.0),
            }

        answer = self.request("POST", "/api/library/assets", body=body, idempotent=True)
        return UploadResponse.model_validate(answer)

    def get_asset(self, asset_id: uuid.UUID) -> AssetOut:
        return self.call("GET", f"/api/library/assets/{asset_id}", None, AssetResponse).asset

    def wait_for_processing(
        self,
        asset_id: uuid.UUID,
        *,
        on_progress: Callable[[AssetOut], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        poll_interval: float = 1.0,
        timeout: float = 900.0,
    ) -> AssetOut:
        """Poll the asset until it is `ready` or `failed` (read `processing_error` then).

        `on_progress` sees the asset after every poll; `cancelled` returning True stops the
        wait with `UploadCancelled`; past `timeout` seconds, `ProcessingTimedOut`.
        """
        deadline = time.monotonic() + timeout
        while True:
            asset = self.get_asset(asset_id)
            if on_progress is not None:
                on_progress(asset)
            if asset.processing_state != "processing":
                return asset
            if cancelled is not None and cancelled():
                raise UploadCancelled(f"stopped waiting for asset {asset_id}")
            if time.monotonic() >= deadline:
                raise ProcessingTimedOut(f"asset {asset_id} still processing after {timeout} s")
            self.sleep(poll_interval)
