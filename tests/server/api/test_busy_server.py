"""A busy server: `/health` answers while every request slot waits, requests queue safely."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, make_url, text

from server.app import create_app
from server.clock import ManualClock
from server.settings import Settings
from tests.server.waiting import eventually


@pytest.fixture
def app(settings: Settings, clock: ManualClock, clean_database: None) -> FastAPI:
    """Two request slots (and pooled connections) only, so they are easy to fill."""
    return create_app(settings.model_copy(update={"database_pool_size": 2}), clock)


def waiting_for_locks(engine: Engine, database: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = :db AND wait_event_type = 'Lock'"
                ),
                {"db": database},
            ).scalar_one()
        )


def test_health_answers_while_every_request_slot_waits_for_a_lock(
    live_server: str, engine: Engine, settings: Settings
) -> None:
    http = httpx.Client(base_url=live_server, timeout=60)
    session = http.post("/api/sessions").json()["session"]["id"]
    headers = {"x-session-id": session}
    database = make_url(settings.database_url).database or ""

    with ThreadPoolExecutor(6) as pool, engine.connect() as other:
        other.execute(
            text("SELECT id FROM anonymous_sessions WHERE id = :id FOR UPDATE"), {"id": session}
        )
        writes: list[Any] = [
            pool.submit(http.post, "/api/tables", json={"name": f"T{n}"}, headers=headers)
            for n in range(6)
        ]
        # Both slots hold a write waiting for the session's row; four more queue behind them.
        eventually(lambda: waiting_for_locks(engine, database) == 2, what="two writes waiting")

        health = http.get("/health")

        assert health.status_code == 200 and health.json()["database"] == "ok"
        assert not any(w.done() for w in writes)  # answered while all of them still wait
        other.rollback()
        statuses = sorted(w.result().status_code for w in writes)
    # Released: every queued write is served (three tables fit an anonymous plan), no 5xx.
    assert statuses == [201, 201, 201, 402, 402, 402]
