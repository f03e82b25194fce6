"""Gauges read from PostgreSQL when `/metrics` is scraped: job queues, payouts in trouble,
whether the database answers and is migrated.

They describe shared state, so they are read at scrape time rather than kept per process:
every API process reports the same numbers, and nothing goes stale when a process restarts.
Three grouped queries over the unfinished jobs (the `(status, run_after)` index; done jobs
are not read), cheap enough for a scrape every few seconds.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Row, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

#: Job kinds that move artists' money.
PAYOUT_KINDS = ("payout", "transfer_reversal")
_STATES = ("pending", "running", "failed")

_JOBS = text(
    """
    SELECT kind, status, count(*) AS jobs,
           count(*) FILTER (WHERE status = 'pending' AND run_after <= now()) AS due,
           coalesce(extract(epoch FROM now() - min(run_after)
               FILTER (WHERE status = 'pending' AND run_after <= now())), 0) AS oldest_due,
           count(*) FILTER (WHERE status = 'pending' AND last_error IS NOT NULL) AS retrying
    FROM jobs WHERE status IN ('pending', 'running', 'failed')
    GROUP BY kind, status
    """
)


@dataclass(eq=False)  # registries keep collectors in a dict
class Snapshot(Collector):
    """Metric families read once; a registry may collect them any number of times."""

    families: list[Metric] = field(default_factory=list)

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


def read(db: Session, expected_migration: str, kinds: Iterable[str] = ()) -> Snapshot:
    """`kinds`: job kinds reported (as 0) even when none is queued, so their series exist."""
    up = GaugeMetricFamily("terrain_database_up", "1 when PostgreSQL answered this scrape.")
    ready = GaugeMetricFamily(
        "terrain_ready",
        "1 when /ready would answer 200: the database answers and is at this code's migration.",
    )
    try:
        current = db.scalar(text("SELECT version_num FROM alembic_version"))
        rows = db.execute(_JOBS).all()
    except SQLAlchemyError:
        db.rollback()
        up.add_metric([], 0)
        ready.add_metric([], 0)
        return Snapshot([up, ready])
    up.add_metric([], 1)
    ready.add_metric([], 1 if current == expected_migration else 0)
    return Snapshot([up, ready, *_job_families(rows, {*kinds, *PAYOUT_KINDS})])


def _job_families(rows: Sequence[Row[Any]], kinds: set[str]) -> list[Metric]:
    jobs = GaugeMetricFamily(
        "terrain_jobs",
        "Unfinished jobs by kind and state (failed: parked after the last attempt).",
        labels=["kind", "state"],
    )
    due = GaugeMetricFamily(
        "terrain_jobs_due", "Pending jobs whose time has come: the queue's depth.", labels=["kind"]
    )
    oldest = GaugeMetricFamily(
        "terrain_jobs_oldest_due_seconds",
        "How long the oldest due job has waited (0: none): workers are missing or stuck.",
        labels=["kind"],
    )
    parked = GaugeMetricFamily(
        "terrain_payouts_parked",
        "Payouts and reversals that gave up: money an artist is owed or owes "
        "(`terrain-server jobs`).",
        labels=["kind"],
    )
    retrying = GaugeMetricFamily(
        "terrain_payouts_retrying",
        "Payouts and reversals waiting for another try after a failure.",
        labels=["kind"],
    )
    counts = {(kind, state): 0 for kind in kinds for state in _STATES}
    due_by_kind: dict[str, tuple[int, float]] = {kind: (0, 0.0) for kind in kinds}
    retrying_by_kind = dict.fromkeys(kinds, 0)
    for row in rows:
        counts[(row.kind, row.status)] = int(row.jobs)
        if row.status == "pending":
            due_by_kind[row.kind] = (int(row.due), float(row.oldest_due))
            retrying_by_kind[row.kind] = int(row.retrying)
    for (kind, state), count in sorted(counts.items()):
        jobs.add_metric([kind, state], count)
    for kind, (count, age) in sorted(due_by_kind.items()):
        due.add_metric([kind], count)
        oldest.add_metric([kind], age)
    for kind in PAYOUT_KINDS:
        parked.add_metric([kind], counts[(kind, "failed")])
        retrying.add_metric([kind], retrying_by_kind[kind])
    return [jobs, due, oldest, parked, retrying]
