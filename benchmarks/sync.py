"""Sync: pushing 10,000 mutations beside raw INSERTs of the same rows, and an empty pull for an
owner with 10 vs 10,000 tables.

    .venv/bin/python benchmarks/sync.py [--mutations 10000] [--runs 30] [--rounds 3]

Runs the real app with uvicorn on loopback against its own database on the local PostgreSQL,
and the desktop's own sync client (store, outbox, engine) against it. The database is dropped
at the end.
"""

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import uvicorn
from psycopg.types.json import Jsonb
from sqlalchemy.engine import make_url

from server import devdb, migrate
from server.app import create_app
from server.settings import Settings
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.sync.engine import SyncEngine

ROOT = Path(__file__).resolve().parents[1]
MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"
PIECES_PER_TABLE = 999


def serve(url: str) -> tuple[uvicorn.Server, str]:
    settings = Settings(database_url=url, pro_table_limit=100_000, free_table_limit=100_000)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.05)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def account(base: str) -> tuple[str, str]:
    response = httpx.post(
        f"{base}/api/auth/register",
        json={"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "benchmark pw"},
    )
    body = response.json()
    return body["token"], body["user"]["id"]


def push_mutations(base: str, total: int, tmp: Path) -> tuple[float, float, int]:
    """Queue `total` edits offline (tables of 999 pieces), then one sync; (queue s, sync s)."""
    token, user_id = account(base)
    store = LocalStore(tmp / "bench.sqlite")
    start = time.perf_counter()
    made = 0
    while made < total:
        table = store.create_table(f"Table {made}")
        made += 1
        for n in range(min(PIECES_PER_TABLE, total - made)):
            store.add_placement(table, MODEL, id=f"p{n}", x=n % 1000, y=n // 1000)
            made += 1
    queued = time.perf_counter() - start
    client = ApiClient(base, token=token, timeout=120)
    engine = SyncEngine(store, client, user_id=user_id)
    start = time.perf_counter()
    engine.sync_once()
    synced = time.perf_counter() - start
    assert store.pending_count() == 0
    return queued, synced, len(store.tables())


def raw_inserts(raw_url: str, total: int) -> float:
    """The floor: the same rows (one per table or piece) as plain INSERTs in one transaction."""
    with psycopg.connect(raw_url) as pg, pg.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_rows (table_id uuid, id text, data jsonb, version bigint)"
        )
        rows = []
        table = uuid.uuid4()
        for n in range(total):
            if n % (PIECES_PER_TABLE + 1) == 0:
                table = uuid.uuid4()
            rows.append((table, f"p{n}", Jsonb({"id": f"p{n}", "modelId": MODEL, "x": n}), n))
        start = time.perf_counter()
        cursor.executemany("INSERT INTO bench_rows VALUES (%s, %s, %s, %s)", rows)
        pg.commit()
        return time.perf_counter() - start


def owner_with_tables(raw_url: str, base: str, count: int) -> tuple[str, int]:
    """An account holding `count` tables (inserted with SQL), and its current cursor."""
    token, user_id = account(base)
    with psycopg.connect(raw_url) as pg:
        pg.execute(
            "INSERT INTO tables (id, user_id, name, share_code, sync_version) "
            "SELECT gen_random_uuid(), %s, 'Table ' || g, "
            "upper(substr(md5(random()::text || g), 1, 16)), g FROM generate_series(1, %s) g",
            (user_id, count),
        )
        pg.execute(
            "INSERT INTO sync_owners (owner_key, version) VALUES (%s, %s)",
            (f"user:{user_id}", count),
        )
        pg.execute("ANALYZE tables")
    return token, count


def empty_pull_ms(base: str, token: str, cursor: int, runs: int) -> tuple[float, float]:
    body = {"client_id": str(uuid.uuid4()), "cursor": cursor}
    headers = {"Authorization": f"Bearer {token}"}
    samples = []
    with httpx.Client(base_url=base) as http:
        full = http.post("/api/sync/pull", json={**body, "cursor": 0}, headers=headers).json()
        assert len(full["tables"]) >= 10
        for _ in range(runs + 1):
            start = time.perf_counter()
            answer = http.post("/api/sync/pull", json=body, headers=headers).json()
            samples.append((time.perf_counter() - start) * 1000)
            assert answer["tables"] == []
    samples = sorted(samples[1:])
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="push+pull rounds (interleaved)")
    args = parser.parse_args()
    url = devdb.create_database(devdb.find_server(ROOT / ".pgdata"), "terrain_bench")
    raw_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        migrate.upgrade(url, lambda _: None)
        server, base = serve(url)
        queued, synced, floor = [], [], []
        for _ in range(args.rounds):  # interleaved: floor, ours, floor, ours, ...
            floor.append(raw_inserts(raw_url, args.mutations))
            with tempfile.TemporaryDirectory() as tmp:
                queue_s, sync_s, tables = push_mutations(base, args.mutations, Path(tmp))
            queued.append(queue_s)
            synced.append(sync_s)
        print(
            f"push {args.mutations:,} mutations ({tables} tables of up to "
            f"{PIECES_PER_TABLE} pieces) and pull; {args.rounds} rounds, interleaved"
        )
        print(f"  {'':34} {'min s':>7} {'median s':>9}")
        for label, samples in (
            ("queue offline (local store)", queued),
            ("sync_once (push + pull, HTTP)", synced),
            ("raw INSERTs of the same rows", floor),
        ):
            print(f"  {label:34} {min(samples):7.2f} {statistics.median(samples):9.2f}")
        ratio = statistics.median(synced) / statistics.median(floor)
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"  sync / raw (median): {ratio:.1f}x  (goal <= 3x: {verdict})\n")
        print("empty pull (nothing changed since the cursor)")
        results = {}
        for count in (10, 10_000):
            token, cursor = owner_with_tables(raw_url, base, count)
            results[count] = empty_pull_ms(base, token, cursor, args.runs)
            p50, p95 = results[count]
            print(f"  {count:>6,} tables: p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
        print(f"  10,000 / 10 tables (p50): {results[10_000][0] / results[10][0]:.2f}x")
        server.should_exit = True
    finally:
        devdb.drop_database(url)


if __name__ == "__main__":
    main()
