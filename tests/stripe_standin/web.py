"""The stand-in's HTTP face: the `/v1/...` routes the `stripe` library calls.

A threaded `http.server` on a loopback port. Idempotency works as Stripe's does: a POST with
an `Idempotency-Key` seen before gets the first answer again and does nothing new.
"""

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.stripe_standin import forms, manual
from tests.stripe_standin.state import StandinState, StripeApiError

Handler = Callable[[StandinState, dict[str, Any], re.Match[str]], dict[str, Any]]

ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("GET", re.compile(r"^/v1/balance$"), lambda s, p, m: s.balance()),
    ("POST", re.compile(r"^/v1/checkout/sessions$"), lambda s, p, m: s.create_checkout_session(p)),
    (
        "GET",
        re.compile(r"^/v1/checkout/sessions/([^/]+)$"),
        lambda s, p, m: s.get(m.group(1), "checkout.session"),
    ),
    ("POST", re.compile(r"^/v1/transfers$"), lambda s, p, m: s.create_transfer(p)),
    ("GET", re.compile(r"^/v1/transfers/([^/]+)$"), lambda s, p, m: s.get(m.group(1), "transfer")),
    (
        "POST",
        re.compile(r"^/v1/transfers/([^/]+)/reversals$"),
        lambda s, p, m: s.create_reversal(m.group(1), p),
    ),
    ("POST", re.compile(r"^/v1/refunds$"), lambda s, p, m: s.create_refund(p)),
    ("POST", re.compile(r"^/v1/accounts$"), lambda s, p, m: s.create_account(p)),
    ("GET", re.compile(r"^/v1/accounts/([^/]+)$"), lambda s, p, m: s.get(m.group(1), "account")),
    ("POST", re.compile(r"^/v1/account_links$"), lambda s, p, m: s.create_account_link(p)),
    (
        "GET",
        re.compile(r"^/v1/payment_intents/([^/]+)$"),
        lambda s, p, m: s.get(m.group(1), "payment_intent"),
    ),
    ("GET", re.compile(r"^/v1/charges/([^/]+)$"), lambda s, p, m: s.get(m.group(1), "charge")),
    (
        "GET",
        re.compile(r"^/v1/subscriptions/([^/]+)$"),
        lambda s, p, m: s.get(m.group(1), "subscription"),
    ),
]


def _invalid_key(authorization: str) -> dict[str, Any]:
    """Stripe's answer to a wrong key: 401 with the key's end shown, as Stripe shows it."""
    key = authorization.removeprefix("Bearer ")
    shown = f"{key[:8]}{'*' * max(len(key) - 12, 0)}{key[-4:]}" if len(key) > 12 else "****"
    message = f"Invalid API Key provided: {shown}"
    return {"error": {"type": "invalid_request_error", "message": message}}


class _Handler(BaseHTTPRequestHandler):
    server: "StandinHttpServer"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read the state, not a log

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if method == "GET" and "?" in self.path:
            body = self.path.split("?", 1)[1]
        key = self.headers.get("Idempotency-Key")
        state = self.server.state
        if path.startswith(("/pay/", "/onboard/")):
            status, page = manual.page(state, method, path)
            self._send_html(status, page)
            return
        with state.lock:
            state.calls.append((method, path, key))
            observers = list(state.observers)
        for observe in observers:
            observe(method, path)
        if self.headers.get("Authorization") != f"Bearer {state.api_key}":
            self._send(401, _invalid_key(self.headers.get("Authorization") or ""))
            return
        failure = state.take_failure(path)
        if failure is not None and failure.mode == "error":
            self._send(500, {"error": {"type": "api_error", "message": "Injected failure"}})
            return
        status, answer = self._answer(method, path, forms.parse(body), key)
        if failure is not None:  # a timeout: the work is done, the answer comes too late
            time.sleep(failure.delay_s)
        self._send(status, answer)

    def _answer(
        self, method: str, path: str, params: dict[str, Any], key: str | None
    ) -> tuple[int, dict[str, Any]]:
        state = self.server.state
        replay_key = (key, method, path) if key and method == "POST" else None
        with state.lock:  # one request per key at a time, as Stripe serialises them
            if replay_key is not None and replay_key in state.replays:
                return state.replays[replay_key]  # type: ignore[index]
            status, answer = self._route(method, path, params)
            if replay_key is not None and status < 500:
                state.replays[replay_key] = (status, answer)  # type: ignore[index]
            return status, answer

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        for route_method, pattern, handler in ROUTES:
            match = pattern.match(path)
            if match and route_method == method:
                try:
                    return 200, handler(self.server.state, params, match)
                except StripeApiError as exc:
                    return exc.status, exc.body
                except (KeyError, ValueError, TypeError) as exc:
                    return 400, {"error": {"type": "invalid_request_error", "message": str(exc)}}
        return 404, {"error": {"type": "invalid_request_error", "message": f"No route {path}"}}

    def _send_html(self, status: int, page: str) -> None:
        data = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_standin")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)  # fails when the client gave up waiting (a timeout)


class StandinHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: StandinState) -> None:
        super().__init__(address, _Handler)
        self.state = state


def serve_in_thread(state: StandinState, host: str, port: int) -> StandinHttpServer:
    server = StandinHttpServer((host, port), state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
