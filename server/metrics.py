"""Prometheus metrics of the HTTP API: requests and their latencies by route and status.

These are counted in each API process. With `serve --workers N` (N > 1) every process writes
its counts to files in a shared directory (`prometheus_client`'s multiprocess mode: the
`PROMETHEUS_MULTIPROC_DIR` environment variable, which `serve` sets from `TERRAIN_METRICS_DIR`
or a fresh temporary directory before the processes start), and a scrape answered by any
process sums them all. What is not per process (job queues, parked payouts, readiness) is
read from PostgreSQL at scrape time (`server.services.queue_metrics`), so it is the same
whichever process answers.

Labels are bounded: the route is its template (`/api/tables/{table_id}`) or `unmatched`, the
method one of the usual few or `other`, so a scan of random URLs cannot grow the series.
"""

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import Message, Receive, Scope, Send

from server.asgi import HttpMiddleware

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
#: Seconds; uploads and checkout (a call to Stripe) may take several.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

REQUESTS = Counter(
    "terrain_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "terrain_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
    buckets=_BUCKETS,
)


def _route(scope: Scope) -> str:
    route = scope.get("route")  # set by routing once a route matched
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestMetrics(HttpMiddleware):
    """ASGI middleware counting every request it passes on (not `/health`, answered outside)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # unless an answer starts: an exception escaping is a server error

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "other"
            route = _route(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)


def exposition(*extra: Collector) -> bytes:
    """The text a scrape gets: every process's request metrics, then `extra` (read now)."""
    if os.environ.get(MULTIPROCESS_ENV):
        shared = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
        text = generate_latest(shared)
    else:
        text = generate_latest(REGISTRY)
    scraped = CollectorRegistry(auto_describe=False)
    for collector in extra:
        scraped.register(collector)
    return text + generate_latest(scraped)
