"""Importing the original system: 10,000 models (small meshes) and 50,000 tables, beside a plain
`INSERT … SELECT` of the same rows.

    .venv/bin/python benchmarks/legacy_import.py [--models 10000] [--tables 50000]
        [--users 10000] [--artists 100] [--distinct-meshes 500] [--floor-runs 5]
        [--process-sample 50]

Builds a legacy database from the original schema (rows made with SQL, mesh files written as
small STL files), migrates a fresh target and runs the real import (`server.legacy.run`, as
`terrain-server import-legacy` does) once, then once more (the no-op re-run). The floor copies
the same legacy rows with one `INSERT … SELECT` per table into another fresh target (no file
processing, no validation, no ledger), `--floor-runs` times (min and median). The import
stores each model's file by content hash and queues its processing, as an upload does; the
worker's processing (sandboxed child: analysis, GLB, thumbnail) is timed on the first
`--process-sample` queued files with one worker. All databases are dropped at the end.
"""

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import trimesh
from sqlalchemy.engine import make_url

from server import devdb, migrate
from server.db.engine import engine_for, session_factory
from server.jobs import registry, runner
from server.jobs.context import WorkerContext
from server.legacy.report import Report
from server.legacy.run import run
from server.settings import Settings
from server.storage import LocalStorage

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "server" / "legacy" / "legacy-schema.sql"
PIECES_PER_TABLE = 5

FILL = """
INSERT INTO {s}.users (id, email, display_name, role, plan, commission_rate)
SELECT md5('u' || g)::uuid, 'User' || g || '@Example.com', 'User ' || g,
       CASE WHEN g <= {artists} THEN 'artist' ELSE 'user' END, 'free', 70
  FROM generate_series(1, {users}) g;
INSERT INTO {s}.models (id, artist_id, name, category, tags, stl_file_path, base_price, status)
SELECT md5('m' || g)::uuid, md5('u' || (1 + g % {artists}))::uuid, 'Model ' || g, 'hills',
       ARRAY['hill', 'grass'], 'models/mesh-' || (g % {distinct}) || '.stl', 4.50,
       CASE WHEN g % 5 = 0 THEN 'draft' ELSE 'published' END
  FROM generate_series(1, {models}) g;
INSERT INTO {s}.user_tables (id, user_id, name, layout, share_code, is_public)
SELECT md5('t' || g)::uuid, md5('u' || (1 + g % {users}))::uuid, 'Table ' || g,
       jsonb_build_object('models', (
         SELECT jsonb_agg(jsonb_build_object(
                  'id', 'p' || k, 'modelId', md5('m' || (1 + (g * 7 + k) % {models}))::uuid,
                  'x', k * 100, 'y', 100, 'z', 0, 'rotation', 0, 'scale', 1))
           FROM generate_series(1, {pieces}) k)),
       upper(substr(md5('s' || g), 1, 16)), g % 3 = 0
  FROM generate_series(1, {tables}) g;
"""

FLOOR = {
    "users": """INSERT INTO public.users (id, email, display_name, role, plan)
        SELECT id, lower(email), display_name,
               CASE role WHEN 'user' THEN 'customer' ELSE role END,
               CASE plan WHEN 'free' THEN 'user_free' ELSE plan END FROM legacy.users""",
    "models": """INSERT INTO public.assets (id, artist_id, name, category, tags, base_price,
               status, visibility, created_at, updated_at)
        SELECT id, artist_id, name, category, tags, base_price, status, visibility, created_at,
               updated_at FROM legacy.models""",
    "user_tables": """INSERT INTO public.tables (id, user_id, name, description, width, depth,
               layout, is_public, share_code, created_at, updated_at)
        SELECT id, user_id, coalesce(name, 'Untitled'), coalesce(description, ''), width, depth,
               layout, is_public, share_code, created_at, updated_at FROM legacy.user_tables""",
}


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def write_meshes(directory: Path, count: int) -> None:
    (directory / "models").mkdir(parents=True)
    for i in range(count):
        mesh = trimesh.creation.cylinder(radius=20 + i % 40, height=5 + i % 30, sections=12)
        mesh.apply_translation((0, 0, mesh.extents[2] / 2))
        mesh.export(directory / "models" / f"mesh-{i}.stl")


def fill(url: str, schema: str, args: argparse.Namespace) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        if schema != "public":
            connection.execute(f"CREATE SCHEMA {schema}")
            connection.execute(f"SET search_path = {schema}, public")
        connection.execute(SCHEMA.read_text())
        connection.execute(
            FILL.format(
                s=schema,
                users=args.users,
                artists=args.artists,
                models=args.models,
                distinct=args.distinct_meshes,
                tables=args.tables,
                pieces=PIECES_PER_TABLE,
            )
        )


def floor_run(url: str) -> dict[str, float]:
    times = {}
    with psycopg.connect(libpq(url)) as connection:
        for phase, sql in FLOOR.items():
            start = time.perf_counter()
            connection.execute(sql)
            connection.commit()
            times[phase] = time.perf_counter() - start
        connection.execute("TRUNCATE users, assets, tables CASCADE")
        connection.commit()
    return times


def timed_import(
    url: str, legacy: str, files: Path, storage: Path
) -> tuple[dict[str, float], Report]:
    """The real import, with the time each phase ended (from the per-batch hook)."""
    settings = Settings(database_url=url, storage_dir=str(storage))
    ends: dict[str, float] = {}
    start = time.perf_counter()
    report = run(
        legacy, files, settings, LocalStorage(storage), datetime.now(UTC),
        after_batch=lambda table, _: ends.__setitem__(table, time.perf_counter()),
    )  # fmt: skip
    total = time.perf_counter() - start
    spans, previous = {}, start
    for table, end in ends.items():
        spans[table], previous = end - previous, end
    spans["total"] = total
    return spans, report


def timed_processing(url: str, storage: Path, jobs: int) -> float:
    """Seconds one worker takes for `jobs` queued files (each in its sandboxed child)."""
    settings = Settings(database_url=url, storage_dir=str(storage))
    ctx = WorkerContext(settings, session_factory(engine_for(url)), LocalStorage(storage))
    kinds = registry.job_kinds(settings)
    start = time.perf_counter()
    for _ in range(jobs):
        assert runner.run_one(ctx, kinds), "fewer queued jobs than the sample"
    took = time.perf_counter() - start
    engine_for(url).dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--tables", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--artists", type=int, default=100)
    parser.add_argument("--distinct-meshes", type=int, default=500)
    parser.add_argument("--floor-runs", type=int, default=5)
    parser.add_argument("--process-sample", type=int, default=50)
    args = parser.parse_args()

    server = devdb.find_server(ROOT / ".pgdata")
    legacy = devdb.create_database(server, "terrain_bench_legacy")
    target = devdb.create_database(server, "terrain_bench_import")
    floor_db = devdb.create_database(server, "terrain_bench_floor")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            files, storage = Path(scratch) / "uploads", Path(scratch) / "storage"
            write_meshes(files, args.distinct_meshes)
            fill(legacy, "public", args)
            for url in (target, floor_db):
                migrate.upgrade(url, lambda _: None)
            fill(floor_db, "legacy", args)
            floors = [floor_run(floor_db) for _ in range(args.floor_runs)]
            spans, report = timed_import(target, legacy, files, storage)
            again, second = timed_import(target, legacy, files, storage)
            processing = timed_processing(target, storage, args.process_sample)
        rows = {"users": args.users, "models": args.models, "user_tables": args.tables}
        print(f"legacy import: {args.users:,} users, {args.models:,} models "
              f"({args.distinct_meshes} distinct meshes), {args.tables:,} tables of "
              f"{PIECES_PER_TABLE} pieces; floor runs: {args.floor_runs}")  # fmt: skip
        print("| phase | rows | import | rows/s | INSERT…SELECT min | median | import/floor |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for phase, count in rows.items():
            floor = [f[phase] for f in floors]
            took = spans[phase]
            print(
                f"| {phase} | {count:,} | {took:.1f} s | {count / took:,.0f} | "
                f"{min(floor) * 1000:.0f} ms | {statistics.median(floor) * 1000:.0f} ms | "
                f"{took / min(floor):,.0f}× |"
            )
        print(f"| whole import | | {spans['total']:.1f} s | | | | |")
        print(f"| second run (nothing to do) | | {again['total']:.1f} s | | | | |")
        sample = args.process_sample
        print(
            f"| worker: processing queued files (first {sample}, one worker) | {sample} | "
            f"{processing:.1f} s | {sample / processing:,.1f} | | | |"
        )
        print(f"changed by the first run: {report.changed():,}; by the second: {second.changed()}")
        print(f"issues reported: {len(report.issues):,}")
    finally:
        for url in (legacy, target, floor_db):
            devdb.drop_database(url)


if __name__ == "__main__":
    main()
