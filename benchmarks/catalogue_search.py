"""Catalogue search over 100,000 assets: through the HTTP API vs the same SQL run directly.

    .venv/bin/python benchmarks/catalogue_search.py [--assets 100000] [--runs 40]

Makes its own database on the local PostgreSQL (see server/devdb.py), seeds it with SQL,
serves the real app with uvicorn on a loopback port, and for each query prints p50/p95 of
the API call beside p50/p95 of the very statements the service ran, replayed with psycopg,
and which indexes the plan used. The database is dropped at the end.
"""

import argparse
import re
import statistics
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from server import devdb, migrate
from server.app import create_app
from server.db.engine import engine_for, session_factory
from server.services import catalogue
from server.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

SEED_SQL = """
INSERT INTO users (id, email, display_name, role, artist_name)
SELECT gen_random_uuid(), 'artist' || g || '@bench.example.com', 'Artist ' || g, 'artist',
       (ARRAY['Forgeworks','Wildlands','Ironclad','Mossy Stone','Ember','Northwind'])[1 + g % 6]
       || ' ' || g
FROM generate_series(1, 200) AS g;

WITH artists AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users)
INSERT INTO assets (id, artist_id, name, description, category, tags, base_price, status,
                    visibility, published_at, add_count, view_count, search_document,
                    dimensions_mm, poly_count)
SELECT gen_random_uuid(), a.id,
       adj || ' ' || noun,
       'A ' || lower(adj) || ' ' || noun || ' for 28 mm skirmish games, printed without supports.',
       cat,
       ARRAY[noun, lower(adj), cat],
       round((1 + (g * 7919 % 2000) / 100.0)::numeric, 2),
       CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END,
       'public',
       now() - (g || ' minutes')::interval,
       g * 31 % 500,
       g * 17 % 5000,
       adj || ' ' || noun || ' ' || noun || ' ' || lower(adj) || ' ' || cat || ' A '
         || lower(adj) || ' ' || noun || ' for 28 mm skirmish games ' || u.artist_name,
       '{"x": 50, "y": 50, "z": 30}'::jsonb,
       1000 + g % 50000
FROM generate_series(1, :n) AS g
CROSS JOIN LATERAL (SELECT
    (ARRAY['Ruined','Mossy','Ancient','Burnt','Rocky','Grassy','Frozen','Sandy','Broken',
           'Overgrown','Crumbling','Wooden','Iron','Stone','Haunted'])[1 + g % 15] AS adj,
    (ARRAY['wall','tower','hill','barrel','crate','tree','boulder','bridge','house','fence',
           'ridge','well','gate','statue','container','tank','ruin','shrine','cart','pillar',
           'stairs','arch','altar','tent','hut'])[1 + (g / 15) % 25] AS noun,
    (ARRAY['ruins','hills','scatter','forest','rocks','buildings','containers','walls'])
      [1 + (g / 7) % 8] AS cat) AS w
JOIN artists a ON a.n = 1 + g % 200
JOIN users u ON u.id = a.id;
ANALYZE users; ANALYZE assets;
"""

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("text 'ruined tower'", {"q": "ruined tower"}),
    ("typo 'barels' (trigram)", {"q": "barels"}),
    ("category + 2 tags", {"category": "scatter", "tags": "barrel,burnt"}),
    ("newest, no filter", {}),
    ("price 5-10, by price", {"min_price": "5", "max_price": "10", "sort": "price"}),
    ("popular in hills", {"category": "hills", "sort": "popular"}),
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm caches and plans
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def captured_statements(url: str, params: dict[str, Any]) -> list[tuple[str, Any]]:
    """The SQL the search service runs for these parameters, as sent to the driver."""
    engine = engine_for(url)
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    tags = tuple(t for t in params.get("tags", "").split(",") if t)
    query = catalogue.SearchQuery(
        text=params.get("q"),
        category=params.get("category"),
        tags=tags,
        min_price=Decimal(params["min_price"]) if "min_price" in params else None,
        max_price=Decimal(params["max_price"]) if "max_price" in params else None,
        sort=params.get("sort"),
    )
    with session_factory(engine)() as db:
        catalogue.search(db, query)
    event.remove(engine, "before_cursor_execute", capture)
    return statements


def serve(url: str) -> tuple[uvicorn.Server, str]:
    app = create_app(Settings(database_url=url, storage_dir=str(ROOT / "var" / "bench-storage")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    url = devdb.create_database(devdb.find_server(ROOT / ".pgdata"), "terrain_bench")
    try:
        migrate.upgrade(url, lambda _: None)
        start = time.perf_counter()
        with engine_for(url).begin() as connection:
            for statement in SEED_SQL.split(";\n"):
                if statement.strip():
                    connection.execute(text(statement), {"n": args.assets})
        print(f"seeded {args.assets:,} assets in {time.perf_counter() - start:.1f} s\n")
        server, base = serve(url)
        raw_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        rows = []
        with httpx.Client(base_url=base, timeout=30) as http, psycopg.connect(raw_url) as pg:
            for label, params in QUERIES:
                response = http.get("/api/library/assets", params=params)
                response.raise_for_status()
                total = response.json()["total"]
                api = timed(lambda p=params: http.get("/api/library/assets", params=p), args.runs)
                statements = captured_statements(url, params)

                def replay(stmts: list[tuple[str, Any]] = statements) -> None:
                    with pg.cursor() as cursor:
                        for statement, parameters in stmts:
                            cursor.execute(statement, parameters)
                            cursor.fetchall()

                sql = timed(replay, args.runs)
                main_select, main_params = statements[-1]
                with pg.cursor() as cursor:
                    cursor.execute("EXPLAIN " + main_select, main_params)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                indexes = sorted(set(re.findall(r"(ix_\w+|pk_\w+)", plan))) or ["(seq scan)"]
                rows.append((label, total, *percentiles(api), *percentiles(sql), indexes))
                pg.rollback()
        server.should_exit = True

        print(
            f"{'query':28} {'hits':>7} {'API p50':>8} {'API p95':>8} {'SQL p50':>8} "
            f"{'SQL p95':>8} {'API/SQL':>7}  indexes in plan"
        )
        for label, total, a50, a95, s50, s95, indexes in rows:
            print(
                f"{label:28} {total:7,} {a50:7.1f}ms {a95:7.1f}ms {s50:7.1f}ms {s95:7.1f}ms "
                f"{a50 / s50:6.1f}x  {', '.join(indexes)}"
            )
    finally:
        devdb.drop_database(url)


if __name__ == "__main__":
    main()
