"""Catalogue searches are answered from the process's cache: at once while every database
slot is taken, and never stale after an asset changed through this server."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from server.db.models import User
from server.settings import Settings
from tests.server.api.test_busy_server import app, waiting_for_locks  # noqa: F401 - fixture
from tests.server.factories import bearer, make_artist, make_asset, register_artist
from tests.server.waiting import eventually

ASSETS = "/api/library/assets"


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["name"] for a in response.json()["assets"]]


def test_a_repeated_search_answers_while_every_slot_waits(
    live_server: str, engine: Engine, settings: Settings, db: Session
) -> None:
    make_asset(db, make_artist(db), "Ruined tower")
    http = httpx.Client(base_url=live_server, timeout=60)
    first = http.get(ASSETS, params={"q": "tower"})
    session = http.post("/api/sessions").json()["session"]["id"]
    headers = {"x-session-id": session}
    database = make_url(settings.database_url).database or ""

    with ThreadPoolExecutor(4) as pool, engine.connect() as other:
        other.execute(
            text("SELECT id FROM anonymous_sessions WHERE id = :id FOR UPDATE"), {"id": session}
        )
        writes = [
            pool.submit(http.post, "/api/tables", json={"name": f"T{n}"}, headers=headers)
            for n in range(4)
        ]
        # Both slots (the app has two) hold a write waiting for the row; two more queue.
        eventually(lambda: waiting_for_locks(engine, database) == 2, what="two writes waiting")

        again = http.get(ASSETS, params={"q": "tower"})

        assert again.status_code == 200 and again.json() == first.json()
        assert names(again) == ["Ruined tower"]
        assert not any(w.done() for w in writes)  # answered while all of them still wait
        other.rollback()
        assert sorted(w.result().status_code for w in writes) == [201, 201, 201, 402]


def test_an_asset_changed_through_the_api_shows_in_the_next_search(
    client: TestClient, db: Session
) -> None:
    artist = register_artist(client, db)
    user = db.get(User, uuid.UUID(artist["user"]["id"]))
    assert user is not None
    asset = make_asset(db, user, "Mossy wall")
    assert names(client.get(ASSETS, params={"q": "tower"})) == []  # now cached, empty

    renamed = client.patch(
        f"{ASSETS}/{asset.id}", json={"name": "Mossy tower"}, headers=bearer(artist["token"])
    )

    assert renamed.status_code == 200, renamed.text
    assert names(client.get(ASSETS, params={"q": "tower"})) == ["Mossy tower"]
