"""Server CPU per request, by kind: what each of load.py's requests costs one API process.

    .venv/bin/python benchmarks/load_costs.py [--requests 3000] [--clients 50] [--bursts 10]
        [--source DIR ...]

Serves each `--source` (a checkout; default this one) with `serve --workers 1`, all at once,
each on its own seeded database (as `benchmarks/load.py` does), then sends `--requests`
requests of one kind at a time from `--clients` concurrent clients (load.py's clients,
without `If-None-Match`, so a search here is always a full answer from the cache) and prints
the CPU seconds the server's processes used per request, from `/proc`. The servers take
turns, a burst each (`--bursts` per kind), so that the load others put on the machine, which
moves this figure too, falls on every checkout alike.
"""

import argparse
import asyncio
import time
from contextlib import ExitStack
from pathlib import Path

from load import ROOT, cpu_seconds, group_pids, label_of, load_average, running_server, seed
from load_clients import ClientPlan, HttpConnection, _Client, answered

from server import devdb

KINDS = ("health", "ready", "search", "table read", "table edit", "sync push")


async def drive(port: int, plans: list[ClientPlan], kind: str, total: int, clients: int) -> int:
    """`total` requests of `kind` from `clients` closed-loop clients; the failures."""
    left, failed = [total], [0]

    async def one(connection: HttpConnection, client: _Client) -> None:
        while left[0] > 0:
            left[0] -= 1
            if kind in ("health", "ready"):
                method, path, body = "GET", f"/{kind}", None
            else:
                while (request := client.next_request(True))[0] != kind:
                    pass
                _, method, path, body = request
            status = await connection.request(method, path, body, client.plan.headers)
            failed[0] += not answered(status)
        connection.close()

    await asyncio.gather(
        *(one(HttpConnection("127.0.0.1", port), _Client(plans[n], n)) for n in range(clients))
    )
    return failed[0]


def measure(sources: list[Path], args: argparse.Namespace) -> None:
    """All servers at once, each kind driven in `--bursts` bursts per server, taking turns:
    a burst of one, then of the next, so that others' load on the machine falls on each
    checkout alike (a per-request CPU figure moves by tens of per cent with that load)."""
    with ExitStack() as stack:
        servers = []
        for source in sources:
            url = devdb.create_database(devdb.find_server(ROOT / ".pgdata"), "terrain_load")
            stack.callback(devdb.drop_database, url)
            base, pgid = stack.enter_context(running_server(source, url, 1))
            plans = seed(url, base)
            port = int(base.rsplit(":", 1)[1])
            asyncio.run(drive(port, plans, "table read", 500, args.clients))  # warm up
            servers.append((label_of(source), port, plans, group_pids(pgid)))
        per_burst = max(1, args.requests // args.bursts)
        print(f"\n1 API process each, {args.clients} clients, {args.requests} requests a kind")
        print(f"  {'kind':12} " + " ".join(f"{label[:26]:>26}" for label, *_ in servers))
        print(f"  {'':12} " + " ".join(f"{'CPU ms/req   req/s':>26}" for _ in servers))
        for kind in KINDS:
            cpu, wall, failed = [0.0] * len(servers), [0.0] * len(servers), [0] * len(servers)
            for _ in range(args.bursts):
                for n, (_, port, plans, pids) in enumerate(servers):
                    before = sum(cpu_seconds(pids).values())
                    started = time.perf_counter()
                    failed[n] += asyncio.run(drive(port, plans, kind, per_burst, args.clients))
                    wall[n] += time.perf_counter() - started
                    cpu[n] += sum(cpu_seconds(pids).values()) - before
            done = per_burst * args.bursts
            print(
                f"  {kind:12} "
                + " ".join(
                    f"{cpu[n] / done * 1000:12.2f} {done / wall[n]:7.0f}"
                    + (f" ({failed[n]} failed)" if failed[n] else "").rjust(7)
                    for n in range(len(servers))
                )
            )
        print(f"  load average: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per kind")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--bursts", type=int, default=10, help="turns per kind and server")
    parser.add_argument("--source", type=Path, action="append", help="checkout(s) to serve")
    args = parser.parse_args()
    measure([s.resolve() for s in (args.source or [ROOT])], args)


if __name__ == "__main__":
    main()
