"""Reads never lock: a row held by a write elsewhere neither delays nor fails a read.

The app here gives up on any row lock after 300 ms, so a read that waited for the held row
would answer 503; only writes may meet the lock (and do, as the contrast in each test shows).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.services.anonymous_sessions import TOUCH_INTERVAL
from server.settings import Settings
from tests.server.api.test_auth import assert_error
from tests.server.api.test_tables import as_session, create
from tests.server.factories import bearer, make_artist, make_asset, new_session, register
from tests.server.waiting import eventually


@pytest.fixture
def impatient(
    settings: Settings, clock: ManualClock, clean_database: None
) -> Iterator[tuple[TestClient, FastAPI]]:
    app = create_app(settings.model_copy(update={"lock_timeout_ms": 300}), clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app


@contextmanager
def held(engine: Engine, table: str, row_id: Any) -> Iterator[None]:
    """Another connection holds the row (`FOR UPDATE`, as a write would) until the block ends."""
    with engine.connect() as other:
        other.execute(text(f"SELECT id FROM {table} WHERE id = :id FOR UPDATE"), {"id": row_id})
        yield
        other.rollback()


def last_seen(client: TestClient, session_id: str) -> datetime:
    response = client.get("/api/sessions/current", headers=as_session(session_id))
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["session"]["last_seen_at"])


def test_reads_with_a_session_whose_row_is_held_answer(
    impatient: tuple[TestClient, FastAPI], engine: Engine, clock: ManualClock
) -> None:
    client, _ = impatient
    session_id = new_session(client)
    headers = as_session(session_id)
    create(client, headers, name="Mine")
    clock.advance(TOUCH_INTERVAL * 2)  # "last seen" is due to be written

    with held(engine, "anonymous_sessions", session_id):
        assert last_seen(client, session_id) < clock.now()  # answered; the touch waits its turn
        mine = client.get("/api/tables/mine", headers=headers)
        assert mine.status_code == 200 and mine.json()["total"] == 1
        write = client.post("/api/tables", json={"name": "Another"}, headers=headers)
        assert_error(write, 503, "database_unavailable")

    assert last_seen(client, session_id) == clock.now()  # the row is free: this use is recorded


def test_last_seen_is_written_at_most_once_per_interval(
    client: TestClient, clock: ManualClock, db: Session
) -> None:
    session_id = new_session(client)
    created = clock.now()

    def stored() -> datetime:
        row = db.execute(
            text("SELECT last_seen_at FROM anonymous_sessions WHERE id = :id"), {"id": session_id}
        )
        value: datetime = row.scalar_one()
        db.rollback()
        return value

    clock.advance(TOUCH_INTERVAL - timedelta(seconds=1))
    assert last_seen(client, session_id) == created
    assert stored() == created

    clock.advance(timedelta(seconds=2))
    assert last_seen(client, session_id) == clock.now()
    assert stored() == clock.now()


def test_views_of_a_public_table_whose_row_is_held_answer_and_count_later(
    impatient: tuple[TestClient, FastAPI], engine: Engine
) -> None:
    client, app = impatient
    owner = bearer(register(client)["token"])
    table = create(client, owner, name="Show piece", is_public=True)
    url = f"/api/tables/{table['id']}"

    with held(engine, "tables", table["id"]):
        for headers in ({}, as_session(new_session(client)), owner):
            assert client.get(url, headers=headers).status_code == 200
        assert client.get(f"/api/tables/share/{table['share_code']}").status_code == 200
        edit = client.patch(url, json={"name": "Renamed"}, headers=owner)
        assert_error(edit, 503, "database_unavailable")
        # The row is still held: the three views by others wait in memory, none is lost.
        assert app.state.views.flush() == 3

    eventually(lambda: app.state.views.pending() == 0, what="views stored")
    assert client.get(url, headers=owner).json()["table"]["view_count"] == 3


def test_views_of_an_asset_whose_row_is_held_answer_and_count_later(
    impatient: tuple[TestClient, FastAPI], engine: Engine, db: Session
) -> None:
    client, app = impatient
    asset = make_asset(db, make_artist(db))
    url = f"/api/library/assets/{asset.id}"

    with held(engine, "assets", str(asset.id)):
        assert client.get(url).status_code == 200
        assert client.get("/api/library/assets", params={"q": "ruined"}).status_code == 200
        assert app.state.views.flush() == 1

    eventually(lambda: app.state.views.pending() == 0, what="views stored")
    assert client.get(url).json()["asset"]["view_count"] == 1


def test_views_are_stored_on_shutdown(settings: Settings, clean_database: None) -> None:
    app = create_app(settings.model_copy(update={"view_count_flush_seconds": 3600}))
    with TestClient(app) as client:
        owner = bearer(register(client)["token"])
        table = create(client, owner, is_public=True)
        client.get(f"/api/tables/{table['id']}")
        assert app.state.views.pending() == 1  # not stored yet: the next batch is an hour away
    with TestClient(app) as client:
        stored = client.get(f"/api/tables/{table['id']}", headers=owner).json()["table"]
    assert stored["view_count"] == 1
