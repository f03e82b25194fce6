"""The global catalogue through HTTP: publishing, visibility, search, files."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from tests.meshes import samples
from tests.server.api.test_asset_uploads import upload
from tests.server.api.test_auth import assert_error
from tests.server.factories import bearer, make_artist, make_asset, register, register_artist
from tests.server.processing import processed
from tests.server.waiting import eventually

ASSETS = "/api/library/assets"


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["name"] for a in response.json()["assets"]]


@pytest.fixture
def uploaded(client: TestClient, db: Session, app: FastAPI) -> tuple[str, dict[str, Any]]:
    token = register_artist(client, db)["token"]
    response = upload(client, token, "hill.stl", samples.export(samples.hill(), "stl"))
    assert response.status_code == 202, response.text
    return token, processed(client, app, token, response.json()["asset"]["id"])


def test_publishing_makes_an_upload_visible_to_everyone(
    client: TestClient, uploaded: tuple[str, dict[str, Any]]
) -> None:
    token, asset = uploaded
    url = f"{ASSETS}/{asset['id']}"
    assert_error(client.get(url), 404, "asset_not_found")  # a draft is the artist's alone
    assert client.get(url, headers=bearer(token)).status_code == 200

    # No category yet: publishing is refused, and says what is missing.
    refused = client.patch(url, json={"status": "published"}, headers=bearer(token))
    assert_error(refused, 409, "cannot_publish")
    assert "category" in refused.json()["error"]
    response = client.patch(
        url,
        json={"status": "published", "category": "hills", "base_price": "3.99", "name": "Big hill"},
        headers=bearer(token),
    )

    assert response.status_code == 200, response.text
    published = response.json()["asset"]
    assert published["status"] == "published" and published["published_at"] is not None
    assert published["base_price"] == "3.99"
    assert client.get(url).json()["asset"]["name"] == "Big hill"
    assert names(client.get(ASSETS)) == ["Big hill"]


@pytest.mark.parametrize(
    "body",
    [
        {"base_price": "-1"},
        {"base_price": "1.999"},
        {"status": "sold"},
        {"visibility": "everyone"},
        {"name": ""},
        {"name": None},
        {"category": "Not A Slug"},
        {"tags": ["x"] * 21},
        {"artist_id": "someone"},
    ],
)
def test_bad_asset_updates_change_nothing(
    client: TestClient, uploaded: tuple[str, dict[str, Any]], body: dict[str, Any]
) -> None:
    token, asset = uploaded
    url = f"{ASSETS}/{asset['id']}"

    response = client.patch(url, json=body, headers=bearer(token))

    assert_error(response, 422, "validation_error")
    assert client.get(url, headers=bearer(token)).json()["asset"] == {**asset, "view_count": 0}


def test_only_the_artist_or_an_admin_changes_an_asset(
    client: TestClient, db: Session, uploaded: tuple[str, dict[str, Any]]
) -> None:
    token, asset = uploaded
    url = f"{ASSETS}/{asset['id']}"
    client.patch(url, json={"status": "published", "category": "hills"}, headers=bearer(token))
    other_artist = register_artist(client, db)["token"]
    customer = register(client)["token"]
    admin = register_artist(client, db)
    admin_user = db.get(User, uuid.UUID(admin["user"]["id"]))
    assert admin_user is not None
    admin_user.role = "admin"
    db.commit()

    assert_error(
        client.patch(url, json={"name": "Mine"}, headers=bearer(other_artist)), 403, "forbidden"
    )
    assert_error(
        client.patch(url, json={"name": "Mine"}, headers=bearer(customer)), 403, "artist_required"
    )
    assert_error(client.patch(url, json={"name": "Mine"}), 401, "auth_required")
    by_admin = client.patch(url, json={"name": "Curated"}, headers=bearer(admin["token"]))
    assert by_admin.status_code == 200
    assert client.get(url).json()["asset"]["name"] == "Curated"


def test_files_follow_visibility_and_originals_stay_with_the_artist(
    client: TestClient, db: Session, uploaded: tuple[str, dict[str, Any]]
) -> None:
    token, asset = uploaded
    url = f"{ASSETS}/{asset['id']}"
    assert_error(client.get(f"{url}/thumbnail"), 404, "asset_not_found")
    client.patch(
        url,
        json={"status": "published", "category": "hills", "base_price": "3.00"},
        headers=bearer(token),
    )

    assert client.get(f"{url}/thumbnail").content.startswith(b"\x89PNG")
    assert client.get(f"{url}/display").content[:4] == b"glTF"
    original = client.get(f"{url}/original", headers=bearer(token))
    assert original.status_code == 200
    assert original.content == samples.export(samples.hill(), "stl")
    other = register_artist(client, db)["token"]
    assert_error(client.get(f"{url}/original", headers=bearer(other)), 403, "not_owned")
    assert_error(client.get(f"{url}/original"), 403, "not_owned")


def test_views_are_counted_for_others(client: TestClient, db: Session, app: Any) -> None:
    artist = make_artist(db)
    asset = make_asset(db, artist)

    client.get(f"{ASSETS}/{asset.id}")
    client.get(f"{ASSETS}/{asset.id}")
    eventually(lambda: app.state.views.pending() == 0, what="views stored")  # stored in batches

    assert client.get(f"{ASSETS}/{asset.id}").json()["asset"]["view_count"] == 2


@pytest.fixture
def shelf(db: Session) -> dict[str, Asset]:
    """A small published catalogue by two artists, plus assets that must never be listed."""
    forge = make_artist(db, "Forge")
    wild = make_artist(db, "Wild")
    now = datetime.now(UTC)
    made = {
        "barrel": make_asset(
            db,
            forge,
            "Wooden barrel",
            category="scatter",
            tags=["barrel", "wood"],
            price="1.50",
            published_at=now - timedelta(days=3),
        ),
        "crates": make_asset(
            db,
            forge,
            "Crate stack",
            category="scatter",
            tags=["crate", "wood"],
            price="2.50",
            published_at=now - timedelta(days=2),
        ),
        "wall": make_asset(
            db,
            forge,
            "Ruined wall",
            category="ruins",
            tags=["ruin", "stone"],
            price="4.00",
            published_at=now - timedelta(days=1),
        ),
        "hill": make_asset(
            db,
            wild,
            "Grassy hill",
            category="hills",
            tags=["hill", "grass"],
            price="6.00",
            description="Rolling hills for skirmish games",
            published_at=now,
        ),
        "draft": make_asset(db, wild, "Secret barrel", status="draft", category="scatter"),
        "archived": make_asset(db, wild, "Old barrel", status="archived", category="scatter"),
    }
    made["crates"].add_count = 50
    made["unlisted"] = make_asset(db, wild, "Hidden barrel", category="scatter")
    made["unlisted"].visibility = "unlisted"
    db.commit()
    return made


def test_search_by_text_tolerates_typos(client: TestClient, shelf: dict[str, Asset]) -> None:
    assert names(client.get(ASSETS, params={"q": "barrel"})) == ["Wooden barrel"]
    assert names(client.get(ASSETS, params={"q": "barels"})) == ["Wooden barrel"]
    assert names(client.get(ASSETS, params={"q": "hils"}))[0] == "Grassy hill"
    assert names(client.get(ASSETS, params={"q": "skirmish"})) == ["Grassy hill"]  # description
    assert set(names(client.get(ASSETS, params={"q": "Forge Studio"}))) == {
        "Wooden barrel",
        "Crate stack",
        "Ruined wall",  # the artist's name
    }
    assert names(client.get(ASSETS, params={"q": "zeppelin"})) == []


def test_search_by_category_tags_artist_and_price(
    client: TestClient, shelf: dict[str, Asset]
) -> None:
    assert names(client.get(ASSETS, params={"category": "scatter", "sort": "price"})) == [
        "Wooden barrel",
        "Crate stack",
    ]
    assert names(client.get(ASSETS, params={"tags": "wood,crate"})) == ["Crate stack"]
    assert names(client.get(ASSETS, params=[("tags", "wood"), ("tags", "barrel")])) == [
        "Wooden barrel"
    ]
    by_artist = client.get(ASSETS, params={"artist_id": str(shelf["hill"].artist_id)})
    assert names(by_artist) == ["Grassy hill"]
    priced = client.get(ASSETS, params={"min_price": "2", "max_price": "5", "sort": "price"})
    assert names(priced) == ["Crate stack", "Ruined wall"]


def test_sorts_and_pages(client: TestClient, shelf: dict[str, Asset]) -> None:
    assert names(client.get(ASSETS)) == [
        "Grassy hill",
        "Ruined wall",
        "Crate stack",
        "Wooden barrel",
    ]
    assert names(client.get(ASSETS, params={"sort": "price_desc"}))[0] == "Grassy hill"
    assert names(client.get(ASSETS, params={"sort": "popular"}))[0] == "Crate stack"
    page = client.get(ASSETS, params={"sort": "price", "limit": 2, "offset": 2}).json()
    assert page["total"] == 4
    assert [a["name"] for a in page["assets"]] == ["Ruined wall", "Grassy hill"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"sort": "random"},
        {"min_price": "cheap"},
        {"category": "DROP TABLE"},
        {"artist_id": "x"},
        {"q": "x" * 201},
    ],
)
def test_bad_search_parameters_are_422(client: TestClient, params: dict[str, Any]) -> None:
    assert_error(client.get(ASSETS, params=params), 422, "validation_error")


def test_search_text_is_data_not_syntax(client: TestClient, shelf: dict[str, Asset]) -> None:
    for text in ["'; DROP TABLE assets; --", "barrel & | ! (", "%", "\\"]:
        response = client.get(ASSETS, params={"q": text})
        assert response.status_code == 200, (text, response.text)
    assert len(names(client.get(ASSETS))) == 4
