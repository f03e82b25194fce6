"""Catalogue pages and thumbnails carry an ETag; a client sending it back gets a 304 while
they are unchanged, and never more than the full answer would have told it."""

import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import User
from tests.server.api.test_auth import assert_error
from tests.server.api.test_catalogue import uploaded  # noqa: F401 - fixture
from tests.server.factories import bearer, make_artist, make_asset, register_artist

ASSETS = "/api/library/assets"


def test_an_unchanged_catalogue_page_is_a_304_and_a_changed_one_is_not(
    client: TestClient, db: Session
) -> None:
    make_asset(db, make_artist(db), "Ruined tower")
    db.commit()
    first = client.get(ASSETS, params={"q": "tower"})
    etag = first.headers["ETag"]

    again = client.get(ASSETS, params={"q": "tower"}, headers={"If-None-Match": etag})

    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    # Another page has its own tag: the client's tag of this one does not match it.
    other = client.get(ASSETS, params={"q": "wall"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_a_catalogue_page_changed_through_the_api_is_sent_again(
    client: TestClient, db: Session
) -> None:
    artist = register_artist(client, db)
    db.commit()
    asset = make_asset(db, db.get_one(User, uuid.UUID(artist["user"]["id"])), "Tower")
    db.commit()
    first = client.get(ASSETS, params={"q": "tower"})
    assert [a["name"] for a in first.json()["assets"]] == ["Tower"]

    renamed = client.patch(
        f"{ASSETS}/{asset.id}", json={"name": "Tall tower"}, headers=bearer(artist["token"])
    )
    after = client.get(
        ASSETS, params={"q": "tower"}, headers={"If-None-Match": first.headers["ETag"]}
    )

    assert renamed.status_code == 200, renamed.text
    assert after.status_code == 200
    assert [a["name"] for a in after.json()["assets"]] == ["Tall tower"]
    assert after.headers["ETag"] != first.headers["ETag"]


def test_a_caller_with_credentials_still_gets_no_store_with_the_tag(
    client: TestClient, db: Session
) -> None:
    make_asset(db, make_artist(db), "Barrel")
    db.commit()
    session = client.post("/api/sessions").json()["session"]["id"]
    headers = {"x-session-id": session}
    first = client.get(ASSETS, params={"q": "barrel"}, headers=headers)

    again = client.get(
        ASSETS, params={"q": "barrel"}, headers={**headers, "If-None-Match": first.headers["ETag"]}
    )

    assert first.headers["Cache-Control"] == "no-store"
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "no-store"


def test_a_thumbnail_is_a_304_only_for_those_who_may_see_it(
    client: TestClient,
    app: FastAPI,
    uploaded: tuple[str, dict[str, Any]],  # noqa: F811
) -> None:
    token, asset = uploaded
    url = f"{ASSETS}/{asset['id']}/thumbnail"
    mine = client.get(url, headers=bearer(token))
    assert mine.status_code == 200 and mine.content.startswith(b"\x89PNG")
    etag = mine.headers["ETag"]

    # A draft: a stranger holding its tag learns nothing more than without it.
    assert_error(client.get(url, headers={"If-None-Match": etag}), 404, "asset_not_found")
    assert client.get(url, headers={**bearer(token), "If-None-Match": etag}).status_code == 304

    published = client.patch(
        f"{ASSETS}/{asset['id']}",
        json={"status": "published", "category": "hills", "base_price": "3.00"},
        headers=bearer(token),
    )
    assert published.status_code == 200, published.text
    anyone = client.get(url, headers={"If-None-Match": etag})
    assert anyone.status_code == 304 and anyone.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).content == mine.content
