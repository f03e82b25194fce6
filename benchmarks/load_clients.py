"""The client side of benchmarks/load.py: closed-loop HTTP clients in their own processes.

Each process runs its share of the clients on one asyncio loop (httpx), every client sending
its next request as soon as the previous one answered. Processes start together at an agreed
wall-clock time and report every answer (kind, seconds from start, latency, status) and the
CPU seconds they used, so the benchmark can show that the clients were not the bottleneck.
"""

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import httpx

#: The mixed workload: (kind, weight). Reads are searches and table reads.
MIX = (("search", 30), ("table read", 40), ("table edit", 15), ("sync push", 15))
SEARCH_TERMS = ("ruined tower", "barrel", "mossy wall", "stone bridge", "crate", "haunted")


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


class _Client:
    def __init__(self, plan: ClientPlan, seed: int) -> None:
        self.plan = plan
        self.random = random.Random(seed)  # noqa: S311 - a workload, not a secret
        self.mutation_id = 0
        self.edits = 0

    def next_request(self, mixed: bool) -> tuple[str, str, str, dict[str, object] | None]:
        """(kind, method, path, json body) of this client's next request."""
        if not mixed:
            return "health", "GET", "/health", None
        kinds, weights = zip(*MIX, strict=True)
        kind = self.random.choices(kinds, weights)[0]
        table = self.random.choice(list(self.plan.own_tables))
        if kind == "search":
            return kind, "GET", f"/api/library/assets?q={self.random.choice(SEARCH_TERMS)}", None
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
    http: httpx.AsyncClient,
    client: _Client,
    mixed: bool,
    start: float,
    deadline: float,
    samples: list[Sample],
) -> None:
    while time.time() < deadline:
        kind, method, path, body = client.next_request(mixed)
        began = time.time()
        try:
            response = await http.request(method, path, json=body, headers=client.plan.headers)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        samples.append(Sample(kind, began - start, time.time() - began, status))


async def _run(
    base: str, plans: list[tuple[int, ClientPlan]], mixed: bool, start: float, duration: float
) -> list[Sample]:
    samples: list[Sample] = []
    limits = httpx.Limits(max_connections=len(plans) + 5, max_keepalive_connections=len(plans))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        await asyncio.sleep(max(0.0, start - time.time()))
        clients = [_Client(plan, seed) for seed, plan in plans]
        await asyncio.gather(
            *(_run_client(http, c, mixed, start, start + duration, samples) for c in clients)
        )
    return samples


def run_clients(
    base: str, plans: list[tuple[int, ClientPlan]], mixed: bool, start: float, duration: float
) -> ProcessReport:
    """Entry point of one client process (closed loop until `start + duration`)."""
    cpu = time.process_time()
    samples = asyncio.run(_run(base, plans, mixed, start, duration))
    return ProcessReport(samples, time.process_time() - cpu)


def run_probe(base: str, start: float, duration: float, every: float) -> ProcessReport:
    """Entry point of the probe process: one `/health` call every `every` seconds, alone."""
    cpu = time.process_time()
    samples: list[Sample] = []
    with httpx.Client(base_url=base, timeout=120) as http:
        time.sleep(max(0.0, start - time.time()))
        while (now := time.time()) < start + duration:
            try:
                status = http.get("/health").status_code
            except httpx.HTTPError:
                status = 0
            samples.append(Sample("health probe", now - start, time.time() - now, status))
            time.sleep(max(0.0, now + every - time.time()))
    return ProcessReport(samples, time.process_time() - cpu)
