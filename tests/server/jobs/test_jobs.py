"""The job table as a queue, the worker command, and how a sandboxed child's end is read."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session

from server.db.engine import session_factory
from server.db.models import Asset, Job
from server.jobs import queue, registry, runner
from server.jobs.context import WorkerContext
from server.jobs.sandbox import SandboxLimits, interpret, run_child
from server.services import asset_processing, uploads
from server.settings import Settings
from server.storage import LocalStorage
from tests.meshes import samples
from tests.meshes.test_fuzz_meshes import malformed
from tests.server.factories import make_artist
from tests.server.test_migrations import terrain_server

LEASE = {"process_asset": timedelta(minutes=5)}
LIMITS = SandboxLimits(2**30, 2, 30.0, 1000, 2**20, 1000)


def context(settings: Settings, engine: Engine) -> WorkerContext:
    return WorkerContext(
        settings, session_factory(engine), LocalStorage(Path(settings.storage_dir))
    )


def queued_asset(db: Session, settings: Settings, name: str = "hill.stl") -> Asset:
    """An upload as the API makes it: a `processing` asset, its original, its job."""
    storage = LocalStorage(Path(settings.storage_dir))
    source = samples.write(Path(settings.storage_dir), name, samples.export(samples.hill(), "stl"))
    with source.open("rb") as handle:
        metadata = uploads.Metadata(None, None, None, [], None)
        result = uploads.ingest(
            db, storage, make_artist(db), handle, name, metadata, settings, db_now(db)
        )
    source.unlink()
    return result.asset


def db_now(db: Session) -> datetime:
    now: datetime = db.scalar(select(func.now()))
    return now


def test_a_job_locked_by_one_worker_is_skipped_by_another(
    db: Session, engine: Engine, settings: Settings
) -> None:
    first = queued_asset(db, settings, "a.stl")
    queued_asset(db, settings, "b.stl")
    holder = session_factory(engine)()
    held = holder.scalar(
        select(Job).order_by(Job.id).limit(1).with_for_update()
    )  # another worker mid-claim
    assert held is not None and held.payload["asset_id"] == str(first.id)

    with session_factory(engine)() as other:
        claimed = queue.claim(other, LEASE)

    assert claimed is not None and claimed.payload["asset_id"] != str(first.id)
    with session_factory(engine)() as other:
        assert queue.claim(other, LEASE) is None  # the held one stays with its holder
    holder.rollback()
    holder.close()


def test_a_running_job_whose_worker_died_is_claimed_again_then_given_up(
    db: Session, engine: Engine, settings: Settings
) -> None:
    asset = queued_asset(db, settings)
    kinds = registry.job_kinds(settings)
    ctx = context(settings, engine)
    # Three workers claimed it and died (their leases ran out long ago).
    db.execute(
        update(Job).values(status="running", attempts=3, locked_at=text("now() - interval '1 day'"))
    )
    db.commit()

    assert runner.run_one(ctx, kinds) is True

    db.expire_all()
    job = db.scalars(select(Job)).one()
    assert (job.status, job.attempts) == ("failed", 4)
    assert "interrupted" in (job.last_error or "")
    failed = db.get(Asset, asset.id)
    assert failed is not None and failed.processing_state == "failed"
    assert "interrupted" in (failed.processing_error or "")
    assert LocalStorage(Path(settings.storage_dir)).keys() == []


def test_enqueueing_twice_queues_one_job(db: Session, settings: Settings) -> None:
    asset = queued_asset(db, settings)

    asset_processing.enqueue_processing(db, asset.id, None)
    asset_processing.enqueue_processing(db, asset.id, "mm")
    db.commit()

    assert len(db.scalars(select(Job)).all()) == 1


def test_worker_once_processes_what_is_due_in_its_own_process(
    db: Session, database_url: str, settings: Settings
) -> None:
    asset = queued_asset(db, settings)

    done = terrain_server(
        database_url, "worker", "--once", env={"TERRAIN_STORAGE_DIR": settings.storage_dir}
    )

    assert done.returncode == 0, done.stderr
    assert "Ran 1 job(s)." in done.stdout
    db.expire_all()
    ready = db.get(Asset, asset.id)
    assert ready is not None and ready.processing_state == "ready"
    assert ready.dimensions_mm == {"x": 60.0, "y": 60.0, "z": 25.0}
    assert db.scalars(select(Job.status)).one() == "done"


def crash(tmp_path: Path, code: str) -> int:
    """The return code of a real Python child that ends as `code` makes it."""
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=False).returncode


def test_a_segfaulting_child_reads_as_a_damaged_file(tmp_path: Path) -> None:
    returncode = crash(tmp_path, "import ctypes; ctypes.string_at(0)")

    outcome = interpret(returncode, tmp_path, LIMITS, timed_out=False)

    assert not outcome.ok and outcome.problem == "crashed"
    assert "crashed the mesh reader" in outcome.message
    assert "SIGSEGV" in outcome.diagnostics


def test_a_child_past_its_cpu_seconds_reads_as_over_limits(tmp_path: Path) -> None:
    returncode = crash(
        tmp_path,
        "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (1, 2))\nwhile True: pass\n",
    )

    outcome = interpret(returncode, tmp_path, LIMITS, timed_out=False)

    assert not outcome.ok and outcome.problem == "over_limits"
    assert "2 CPU seconds" in outcome.message


def test_a_child_that_exits_without_a_result_is_not_trusted(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text('{"ok": true}')

    outcome = interpret(3, tmp_path, LIMITS, timed_out=False)

    assert not outcome.ok and outcome.problem == "crashed"


@examples(
    max_examples=int(os.environ.get("TERRAIN_FUZZ_CHILD_EXAMPLES", "3")),
    deadline=None,
    derandomize=os.environ.get("TERRAIN_FUZZ_CHILD_EXAMPLES") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=malformed())
def test_malformed_meshes_never_crash_the_sandboxed_pipeline(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]
) -> None:
    kind, data = case
    scratch = tmp_path_factory.mktemp("fuzz")
    suffix = {"stl_ascii": "stl", "ply_ascii": "ply"}.get(kind, kind)
    source = samples.write(scratch, f"fuzz.{suffix}", data)
    out = scratch / "out"
    out.mkdir()

    outcome = run_child(
        source, source.name, None, out, SandboxLimits(2**31, 60, 120, 50_000, 2**22, 1000)
    )

    assert outcome.ok or (outcome.problem != "crashed" and outcome.message), outcome
