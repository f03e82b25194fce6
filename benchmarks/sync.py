"""Sync: pushing 10,000 mutations beside plain SQL writing what the server stores for them, and
an empty pull for an owner with 10 vs 10,000 tables.

    .venv/bin/python benchmarks/sync.py [--mutations 10000] [--runs 30] [--rounds 3]

Runs the real app with uvicorn on loopback against its own database on the local PostgreSQL,
and the desktop's own sync client (store, outbox, engine) against it. The database is dropped
at the end.

The floor is what the server really persists for the push: after each sync, the rows it
wrote for that account (its tables, each with its layout as JSONB, its sync version and its
device) are read back as text, and written again with plain SQL in one transaction from a
fresh connection set up as the server's (lz4 for the JSONB): the same rows, columns and JSON
text over the same loopback, without HTTP, validation or the ORM.
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


def push_mutations(base: str, total: int, tmp: Path) -> tuple[float, float, int, str]:
    """Queue `total` edits offline (tables of 999 pieces), then one sync;
    (queue s, sync s, tables, the account's id)."""
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
    return queued, synced, len(store.tables()), user_id


def persisted_rows(
    raw_url: str, user_id: str
) -> tuple[list[tuple[str, str]], list[tuple[object, ...]]]:
    """The `tables` rows the server stored for `user_id`, JSON columns as their text; and
    the columns as (name, type)."""
    with psycopg.connect(raw_url) as pg:
        columns = [
            (str(row[0]), str(row[1]))
            for row in pg.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'tables' ORDER BY ordinal_position"
            )
        ]
        listed = ", ".join(f"{c}::text" if t in JSON_TYPES else c for c, t in columns)
        query = f"SELECT {listed} FROM tables WHERE user_id = %s"  # noqa: S608 - its own columns
        rows = pg.execute(query, (user_id,)).fetchall()
    return columns, rows


JSON_TYPES = ("json", "jsonb")


def raw_writes(raw_url: str, user_id: str) -> tuple[float, int, int]:
    """The floor: the rows the push persisted for `user_id`, written again with plain SQL in
    one transaction (new ids and share codes; the same layouts, sync version and device row).
    Returns (seconds, rows, bytes of JSON sent)."""
    columns, rows = persisted_rows(raw_url, user_id)
    index = {name: n for n, (name, _) in enumerate(columns)}
    copies = []
    for row in rows:
        copy = list(row)
        copy[index["id"]] = uuid.uuid4()
        copy[index["share_code"]] = uuid.uuid4().hex[:16].upper()
        copies.append(copy)
    marks = ", ".join(f"%s::{t}" if t in JSON_TYPES else "%s" for _, t in columns)
    names = ", ".join(name for name, _ in columns)
    insert = f"INSERT INTO tables ({names}) VALUES ({marks})"  # noqa: S608
    json_bytes = sum(len(str(r[index["layout"]])) for r in rows)
    server_like = "-c default_toast_compression=lz4"  # as server/db/engine.py connects
    with psycopg.connect(raw_url, options=server_like) as pg, pg.cursor() as cursor:
        key = f"floor:{uuid.uuid4()}"
        start = time.perf_counter()
        cursor.execute(
            "INSERT INTO sync_owners (owner_key, version) VALUES (%s, 1) "
            "ON CONFLICT (owner_key) DO UPDATE SET version = sync_owners.version + 1 "
            "RETURNING version",
            (key,),
        )
        cursor.execute(
            "INSERT INTO sync_clients (owner_key, client_id, last_mutation_id) VALUES (%s, %s, %s)",
            (key, uuid.uuid4(), len(rows)),
        )
        cursor.executemany(insert, copies)
        pg.commit()
        elapsed = time.perf_counter() - start
        cursor.execute("DELETE FROM tables WHERE id = ANY(%s)", ([c[index["id"]] for c in copies],))
        pg.commit()
    return elapsed, len(rows), json_bytes


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
        for _ in range(args.rounds):  # interleaved: ours, its floor, ours, its floor, ...
            with tempfile.TemporaryDirectory() as tmp:
                queue_s, sync_s, tables, user_id = push_mutations(base, args.mutations, Path(tmp))
            queued.append(queue_s)
            synced.append(sync_s)
            floor_s, rows, json_bytes = raw_writes(raw_url, user_id)
            floor.append(floor_s)
        print(
            f"push {args.mutations:,} mutations ({tables} tables of up to "
            f"{PIECES_PER_TABLE} pieces) and pull; {args.rounds} rounds, interleaved"
        )
        print(f"  {'':44} {'min s':>7} {'median s':>9}")
        for label, samples in (
            ("queue offline (local store)", queued),
            ("sync_once (push + pull, HTTP)", synced),
            (f"plain SQL: the {rows} rows it persisted", floor),
        ):
            print(f"  {label:44} {min(samples):7.3f} {statistics.median(samples):9.3f}")
        print(
            f"  (the floor writes {rows} table rows with {json_bytes / 1e6:.1f} MB of layout "
            "JSON, the sync version and the device row)"
        )
        ratio = statistics.median(synced) / statistics.median(floor)
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"  sync / what it persists (median): {ratio:.1f}x  (goal <= 3x: {verdict})\n")
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
