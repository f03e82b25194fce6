"""Artist profiles, curated sets and favourites through HTTP."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import User
from tests.server.api.test_auth import assert_error
from tests.server.api.test_tables import create
from tests.server.factories import bearer, make_artist, make_asset, register, register_artist


def become_artist(client: TestClient, token: str, **body: Any) -> Any:
    return client.post(
        "/api/artists/me", json={"artist_name": "Forgeworks", **body}, headers=bearer(token)
    )


def test_a_user_becomes_an_artist_and_gets_a_public_profile(client: TestClient) -> None:
    body = register(client, email="maker@example.com")

    response = become_artist(
        client, body["token"], artist_bio="Ruins", artist_url="https://forge.example.com"
    )

    assert response.status_code == 200, response.text
    profile = response.json()["artist"]
    assert profile["artist_name"] == "Forgeworks" and profile["email"] == "maker@example.com"
    public = client.get(f"/api/artists/{body['user']['id']}").json()["artist"]
    assert public["artist_name"] == "Forgeworks" and public["artist_bio"] == "Ruins"
    assert public["email"] is None and public["stripe_account_id"] is None
    assert public["commission_rate"] is None
    me = client.get("/api/auth/me", headers=bearer(body["token"])).json()["user"]
    assert me["role"] == "artist"


def test_bad_artist_profiles_are_refused(client: TestClient) -> None:
    token = register(client)["token"]

    assert_error(
        become_artist(client, token, artist_url="javascript:alert(1)"), 422, "validation_error"
    )
    assert_error(become_artist(client, token, artist_name=""), 422, "validation_error")
    assert_error(client.post("/api/artists/me", json={"artist_name": "x"}), 401, "auth_required")


def test_unknown_ids_and_non_artists_are_404(client: TestClient) -> None:
    customer = register(client)["user"]["id"]
    for artist_id in (customer, str(uuid.uuid4())):
        for suffix in ("", "/models", "/tables"):
            assert_error(client.get(f"/api/artists/{artist_id}{suffix}"), 404, "artist_not_found")


def test_artist_models_are_published_ones_newest_first(client: TestClient, db: Session) -> None:
    artist = make_artist(db)
    make_asset(db, artist, "Older")
    make_asset(db, artist, "Newer")
    make_asset(db, artist, "Draft", status="draft")

    response = client.get(f"/api/artists/{artist.id}/models")

    models = response.json()["models"]
    assert [m["name"] for m in models] == ["Newer", "Older"]
    listed = {
        "id",
        "name",
        "description",
        "category",
        "tags",
        "thumbnail_url",
        "base_price",
        "width",
        "depth",
        "height",
        "status",
        "visibility",
        "view_count",
        "download_count",
        "sale_count",
        "created_at",
    }
    assert listed <= set(models[0]) and (models[0]["width"], models[0]["height"]) == (50, 40)
    profile = client.get(f"/api/artists/{artist.id}").json()["artist"]
    assert profile["published_model_count"] == 2


def test_artist_tables_are_public_ones_at_most_ten(
    client: TestClient, db: Session, app: Any
) -> None:
    body = register_artist(client, db)
    db.execute(
        User.__table__.update().where(User.id == uuid.UUID(body["user"]["id"])).values(plan="pro")
    )
    db.commit()
    for n in range(10):
        create(client, bearer(body["token"]), name=f"Table {n}", is_public=n != 0)

    tables = client.get(f"/api/artists/{body['user']['id']}/tables").json()["tables"]

    assert len(tables) == 9 and "Table 0" not in [t["name"] for t in tables]
    assert all(t["share_code"] is None for t in tables)


def test_sets_are_curated_by_artists_and_browsed_by_all(client: TestClient, db: Session) -> None:
    curator = register_artist(client, db)["token"]
    artist = make_artist(db)
    hill, rock = make_asset(db, artist, "Hill"), make_asset(db, artist, "Rock")

    response = client.post(
        "/api/library/sets",
        json={"name": "Wild lands", "asset_ids": [str(rock.id), str(hill.id), str(rock.id)]},
        headers=bearer(curator),
    )

    assert response.status_code == 201, response.text
    created = response.json()["set"]
    assert [a["name"] for a in created["assets"]] == ["Rock", "Hill"]
    listing = client.get("/api/library/sets").json()
    assert listing["total"] == 1 and listing["sets"][0]["asset_count"] == 2
    url = f"/api/library/sets/{created['id']}"
    reordered = client.patch(
        url, json={"asset_ids": [str(hill.id)], "name": "Hills"}, headers=bearer(curator)
    )
    assert [a["name"] for a in reordered.json()["set"]["assets"]] == ["Hill"]
    other = register_artist(client, db)["token"]
    assert_error(client.patch(url, json={"name": "Mine"}, headers=bearer(other)), 403, "forbidden")
    customer = register(client)["token"]
    made = client.post("/api/library/sets", json={"name": "x"}, headers=bearer(customer))
    assert_error(made, 403, "artist_required")
    unknown = client.post(
        "/api/library/sets",
        json={"name": "x", "asset_ids": [str(uuid.uuid4())]},
        headers=bearer(curator),
    )
    assert_error(unknown, 422, "asset_not_found")
    assert client.delete(url, headers=bearer(curator)).json() == {"success": True}
    assert_error(client.get(url), 404, "set_not_found")


def test_private_sets_are_the_curators_own(client: TestClient, db: Session) -> None:
    curator = register_artist(client, db)["token"]
    response = client.post(
        "/api/library/sets",
        json={"name": "Work in progress", "is_public": False},
        headers=bearer(curator),
    )
    url = f"/api/library/sets/{response.json()['set']['id']}"

    assert client.get(url, headers=bearer(curator)).status_code == 200
    assert_error(client.get(url), 404, "set_not_found")
    assert client.get("/api/library/sets").json()["total"] == 0


def test_favorites_add_list_remove(client: TestClient, db: Session) -> None:
    token = register(client)["token"]
    artist = make_artist(db)
    hill, draft = make_asset(db, artist, "Hill"), make_asset(db, artist, "Draft", status="draft")

    first = client.post("/api/favorites", json={"asset_id": str(hill.id)}, headers=bearer(token))
    again = client.post("/api/favorites", json={"asset_id": str(hill.id)}, headers=bearer(token))

    assert (first.status_code, again.status_code) == (201, 200)
    listing = client.get("/api/favorites", headers=bearer(token)).json()
    assert [a["name"] for a in listing["assets"]] == ["Hill"]
    hidden = client.post("/api/favorites", json={"asset_id": str(draft.id)}, headers=bearer(token))
    assert_error(hidden, 404, "asset_not_found")
    assert client.delete(f"/api/favorites/{hill.id}", headers=bearer(token)).status_code == 200
    assert_error(
        client.delete(f"/api/favorites/{hill.id}", headers=bearer(token)), 404, "asset_not_found"
    )
    assert_error(client.get("/api/favorites"), 401, "auth_required")
