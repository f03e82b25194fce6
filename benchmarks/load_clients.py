"""The client side of benchmarks/load.py: closed-loop HTTP clients in their own processes.

Each process runs its share of the clients on one asyncio loop, every client sending its next
request on its own keep-alive connection as soon as the previous one answered. As a caching
HTTP client does, a client remembers the `ETag` of each catalogue page it got and sends it
back as `If-None-Match`, so an unchanged page is a 304 without a body. A request unanswered
after `TIMEOUT_S` counts as "no answer" (status 0) rather than stalling the run. Processes
start together at an agreed wall-clock time and report every answer (kind, seconds from
start, latency, status) and the CPU seconds they used, so the benchmark can show that the
clients were not the bottleneck.

The HTTP/1.1 client is a minimal one on asyncio streams (the server always answers with a
Content-Length): httpx's AsyncClient spent 1-6 ms of CPU per request with 200 connections on
this machine, more than the server's `/health`, where this one spends under 0.1 ms.
"""

import asyncio
import json
import random
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

#: The mixed workload: (kind, weight). Reads are searches and table reads.
MIX = (("search", 30), ("table read", 40), ("table edit", 15), ("sync push", 15))
SEARCH_TERMS = ("ruined tower", "barrel", "mossy wall", "stone bridge", "crate", "haunted")
#: Seconds a client waits for an answer before it gives up on the request (status 0).
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ClientPlan:
    """What one client is: its credentials, its owner's tables, the public tables it reads."""

    headers: dict[str, str]
    own_tables: dict[str, list[str]]  # table id -> placement ids
    public_tables: list[str]
    device_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class Sample:
    kind: str
    started: float  # seconds after the phase start
    seconds: float
    status: int  # 0: no answer (timeout, connection error)


@dataclass
class ProcessReport:
    samples: list[Sample]
    cpu_seconds: float


class _Closed(Exception):
    """The server closed the connection before answering."""


def answered(status: int) -> bool:
    """A successful answer: 2xx, or 304 to a conditional request."""
    return 200 <= status < 300 or status == 304


class HttpConnection:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        #: The `ETag` of the last answer (None when it had none).
        self.etag: str | None = None

    async def request(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> int:
        """Send one request, read the whole answer; its status (0 when there was none).

        A kept-alive connection the server closed meanwhile is not the request's failure:
        such a request is sent again, once, on a new connection.
        """
        for attempt in (1, 2):
            reused = self._streams is not None
            try:
                return await asyncio.wait_for(
                    self._exchange(method, path, body, headers or {}), TIMEOUT_S
                )
            except _Closed:
                self.close()
                if not (reused and attempt == 1):
                    return 0
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError, TimeoutError):
                self.close()
                return 0
        return 0

    async def _exchange(self, method: str, path: str, body: object, headers: dict[str, str]) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        data = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await reader.readline()
        if not status_line:
            raise _Closed
        status = int(status_line.split()[1])
        length, close = 0, False
        self.etag = None
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
            elif name.lower() == "etag":
                self.etag = value.strip()
        await reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


class _Client:
    def __init__(self, plan: ClientPlan, seed: int) -> None:
        self.plan = plan
        self.random = random.Random(seed)  # noqa: S311 - a workload, not a secret
        self.mutation_id = 0
        self.edits = 0
        self.etags: dict[str, str] = {}  # catalogue page -> its ETag, as a client caches it

    def next_request(self, mixed: bool) -> tuple[str, str, str, dict[str, object] | None]:
        """(kind, method, path, json body) of this client's next request."""
        if not mixed:
            # The floor: the least a routed request does (middleware, routing, a database
            # slot and one query). `/health` is answered before all that from a cached
            # database state, so it measures the HTTP layer only (the probe, in the mix).
            return "ready", "GET", "/ready", None
        kinds, weights = zip(*MIX, strict=True)
        kind = self.random.choices(kinds, weights)[0]
        table = self.random.choice(list(self.plan.own_tables))
        if kind == "search":
            query = urllib.parse.quote(self.random.choice(SEARCH_TERMS))
            return kind, "GET", f"/api/library/assets?q={query}", None
        if kind == "table read":
            # Half our own tables, half someone's popular public one (which counts a view).
            if self.random.random() < 0.5:
                table = self.random.choice(self.plan.public_tables)
            return kind, "GET", f"/api/tables/{table}", None
        if kind == "table edit":
            self.edits += 1
            body = {"description": f"Edit {self.edits} from {self.plan.device_id[:8]}"}
            return kind, "PATCH", f"/api/tables/{table}", body
        mutations = []
        for placement in self.random.sample(self.plan.own_tables[table], 3):
            self.mutation_id += 1
            mutations.append(
                {
                    "mutation_id": self.mutation_id,
                    "kind": "move_placement",
                    "table_id": table,
                    "placement_id": placement,
                    "changes": {"x": round(self.random.uniform(0, 1000), 1)},
                }
            )
        body = {"client_id": self.plan.device_id, "mutations": mutations}
        return kind, "POST", "/api/sync/push", body


async def _run_client(
    connection: HttpConnection,
    client: _Client,
    mixed: bool,
    start: float,
    deadline: float,
    samples: list[Sample],
) -> None:
    while time.time() < deadline:
        kind, method, path, body = client.next_request(mixed)
        headers = client.plan.headers
        if kind == "search" and path in client.etags:
            headers = {**headers, "If-None-Match": client.etags[path]}
        began = time.time()
        status = await connection.request(method, path, body, headers)
        samples.append(Sample(kind, began - start, time.time() - began, status))
        if kind == "search" and status == 200 and connection.etag:
            client.etags[path] = connection.etag
    connection.close()


async def _run(
    port: int, plans: list[tuple[int, ClientPlan]], mixed: bool, start: float, duration: float
) -> list[Sample]:
    samples: list[Sample] = []
    clients = [(HttpConnection("127.0.0.1", port), _Client(plan, seed)) for seed, plan in plans]
    await asyncio.sleep(max(0.0, start - time.time()))
    await asyncio.gather(
        *(_run_client(h, c, mixed, start, start + duration, samples) for h, c in clients)
    )
    return samples


def run_clients(
    port: int, plans: list[tuple[int, ClientPlan]], mixed: bool, start: float, duration: float
) -> ProcessReport:
    """Entry point of one client process (closed loop until `start + duration`)."""
    cpu = time.process_time()
    samples = asyncio.run(_run(port, plans, mixed, start, duration))
    return ProcessReport(samples, time.process_time() - cpu)


async def _probe(port: int, start: float, duration: float, every: float) -> list[Sample]:
    samples: list[Sample] = []
    connection = HttpConnection("127.0.0.1", port)
    await asyncio.sleep(max(0.0, start - time.time()))
    while (now := time.time()) < start + duration:
        status = await connection.request("GET", "/health")
        samples.append(Sample("health probe", now - start, time.time() - now, status))
        await asyncio.sleep(max(0.0, now + every - time.time()))
    connection.close()
    return samples


def run_probe(port: int, start: float, duration: float, every: float) -> ProcessReport:
    """Entry point of the probe process: one `/health` call every `every` seconds, alone."""
    cpu = time.process_time()
    samples = asyncio.run(_probe(port, start, duration, every))
    return ProcessReport(samples, time.process_time() - cpu)
