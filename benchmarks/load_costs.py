"""Server CPU per request, by kind: what each of load.py's requests costs one API process.

    .venv/bin/python benchmarks/load_costs.py [--requests 3000] [--clients 50] [--source DIR ...]

For each `--source` (a checkout; default this one) in turn: serves it with `serve --workers 1`
on its own seeded database (as `benchmarks/load.py` does), then sends `--requests` requests
of one kind at a time from `--clients` concurrent clients (load.py's clients, without
`If-None-Match`, so a search here is always a full answer from the cache) and prints the CPU
seconds the server's processes used per request, from `/proc`. Unlike throughput, this hardly
depends on what else the machine runs, so it compares checkouts fairly on a loaded machine.
"""

import argparse
import asyncio
import time
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


def measure(source: Path, args: argparse.Namespace) -> None:
    url = devdb.create_database(devdb.find_server(ROOT / ".pgdata"), "terrain_load")
    try:
        with running_server(source, url, 1) as (base, pgid):
            plans = seed(url, base)
            port = int(base.rsplit(":", 1)[1])
            pids = group_pids(pgid)
            asyncio.run(drive(port, plans, "table read", 500, args.clients))  # warm up
            print(f"\n{label_of(source)}: 1 API process, {args.clients} clients")
            print(f"  {'kind':12} {'CPU ms/request':>15} {'req/s':>8}  failed")
            for kind in KINDS:
                before = sum(cpu_seconds(pids).values())
                started = time.perf_counter()
                failed = asyncio.run(drive(port, plans, kind, args.requests, args.clients))
                elapsed = time.perf_counter() - started
                cpu = sum(cpu_seconds(pids).values()) - before
                print(
                    f"  {kind:12} {cpu / args.requests * 1000:15.2f} "
                    f"{args.requests / elapsed:8.0f}  {failed}"
                )
            print(f"  load average: {load_average()}")
    finally:
        devdb.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per kind")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--source", type=Path, action="append", help="checkout(s) to serve")
    args = parser.parse_args()
    for source in [s.resolve() for s in (args.source or [ROOT])]:
        measure(source, args)


if __name__ == "__main__":
    main()
