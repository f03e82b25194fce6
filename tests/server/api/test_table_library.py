"""A table's library through HTTP: add, add a set, soft removal with undo, recent use."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import Asset, GameTable, User
from tests.server.api.test_auth import assert_error
from tests.server.api.test_tables import as_session, create
from tests.server.factories import bearer, make_artist, make_asset, make_set, new_session, register


def library_ids(
    client: TestClient, table_id: str, headers: dict[str, str], **params: Any
) -> list[str]:
    response = client.get(f"/api/tables/{table_id}/library", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["assets"]]


def add(client: TestClient, table_id: str, asset: Asset, headers: dict[str, str]) -> Any:
    return client.post(
        f"/api/tables/{table_id}/library/assets", json={"asset_id": str(asset.id)}, headers=headers
    )


def setup_table(client: TestClient) -> tuple[str, dict[str, str]]:
    headers = as_session(new_session(client))
    return create(client, headers)["id"], headers


def test_adding_an_asset_is_201_then_harmless(client: TestClient, db: Session) -> None:
    table_id, headers = setup_table(client)
    asset = make_asset(db, make_artist(db))

    first = add(client, table_id, asset, headers)
    again = add(client, table_id, asset, headers)

    assert (first.status_code, first.json()) == (201, {"success": True})
    assert (again.status_code, again.json()) == (200, {"success": True})
    assert library_ids(client, table_id, headers) == [str(asset.id)]
    db.refresh(asset)
    assert asset.add_count == 1


def test_library_shows_catalogue_fields(client: TestClient, db: Session) -> None:
    table_id, headers = setup_table(client)
    asset = make_asset(
        db, make_artist(db), "Crate stack", category="scatter", tags=["crate", "wood"]
    )
    add(client, table_id, asset, headers)

    [entry] = client.get(f"/api/tables/{table_id}/library", headers=headers).json()["assets"]

    assert entry["name"] == "Crate stack" and entry["category"] == "scatter"
    assert entry["tags"] == ["crate", "wood"] and entry["base_price"] == "4.50"
    assert entry["dimensions_mm"] == {"x": 50, "y": 25, "z": 40}


def test_only_published_assets_or_ones_own_drafts(client: TestClient, db: Session) -> None:
    artist = make_artist(db)
    others_draft = make_asset(db, artist, "Someone's draft", status="draft")
    body = register(client)
    me = db.get(User, uuid.UUID(body["user"]["id"]))
    assert me is not None
    me.role = "artist"
    db.commit()
    own_draft = make_asset(db, me, "My draft", status="draft")
    headers = bearer(body["token"])
    table_id = create(client, headers)["id"]

    assert_error(add(client, table_id, others_draft, headers), 404, "asset_not_found")
    assert add(client, table_id, own_draft, headers).status_code == 201
    unknown = client.post(
        f"/api/tables/{table_id}/library/assets",
        json={"asset_id": "00000000-0000-0000-0000-000000000000"},
        headers=headers,
    )
    assert_error(unknown, 404, "asset_not_found")
    bad = client.post(
        f"/api/tables/{table_id}/library/assets", json={"asset_id": "x"}, headers=headers
    )
    assert_error(bad, 422, "validation_error")
    assert library_ids(client, table_id, headers) == [str(own_draft.id)]


def test_adding_a_set_adds_its_assets_in_one_step(client: TestClient, db: Session) -> None:
    artist = make_artist(db)
    walls = [make_asset(db, artist, f"Wall {n}") for n in range(3)]
    draft = make_asset(db, artist, "Unfinished", status="draft")
    ruins = make_set(db, artist, [*walls, draft])
    table_id, headers = setup_table(client)
    add(client, table_id, walls[0], headers)

    response = client.post(
        f"/api/tables/{table_id}/library/sets", json={"set_id": str(ruins.id)}, headers=headers
    )
    again = client.post(
        f"/api/tables/{table_id}/library/sets", json={"set_id": str(ruins.id)}, headers=headers
    )

    assert response.status_code == 201
    assert response.json() == {
        "success": True,
        "added": 2,
        "already_present": 1,
        "skipped_unavailable": 0,  # the draft is not the caller's to see, nor to count
    }
    assert again.status_code == 200 and again.json()["added"] == 0
    assert sorted(library_ids(client, table_id, headers)) == sorted(str(w.id) for w in walls)


def test_library_is_bounded_by_max_assets(client: TestClient, db: Session) -> None:
    artist = make_artist(db)
    assets = [make_asset(db, artist, f"Rock {n}") for n in range(3)]
    table_id, headers = setup_table(client)
    table = db.get(GameTable, uuid.UUID(table_id))
    assert table is not None
    table.max_assets = 2
    db.commit()
    add(client, table_id, assets[0], headers)
    add(client, table_id, assets[1], headers)

    assert_error(add(client, table_id, assets[2], headers), 402, "library_limit")
    whole_set = make_set(db, artist, assets)
    response = client.post(
        f"/api/tables/{table_id}/library/sets", json={"set_id": str(whole_set.id)}, headers=headers
    )
    assert_error(response, 402, "library_limit")
    assert len(library_ids(client, table_id, headers)) == 2


def test_removal_can_be_undone_for_five_minutes(
    client: TestClient, db: Session, clock: ManualClock
) -> None:
    artist = make_artist(db)
    kept, lost = make_asset(db, artist, "Kept"), make_asset(db, artist, "Lost")
    table_id, headers = setup_table(client)
    for asset in (kept, lost):
        add(client, table_id, asset, headers)
    url = f"/api/tables/{table_id}/library/assets"

    removed = client.delete(f"{url}/{kept.id}", headers=headers)
    client.delete(f"{url}/{lost.id}", headers=headers)

    assert removed.status_code == 200
    assert datetime.fromisoformat(removed.json()["undo_until"]) == clock.now() + timedelta(
        minutes=5
    )
    assert library_ids(client, table_id, headers) == []
    clock.advance(timedelta(minutes=4))
    assert client.post(f"{url}/{kept.id}/restore", headers=headers).status_code == 200
    clock.advance(timedelta(minutes=2))
    assert_error(client.post(f"{url}/{lost.id}/restore", headers=headers), 410, "undo_expired")
    assert library_ids(client, table_id, headers) == [str(kept.id)]
    assert_error(client.delete(f"{url}/{lost.id}", headers=headers), 404, "not_in_library")


def test_recently_used_assets_come_newest_first(
    client: TestClient, db: Session, clock: ManualClock
) -> None:
    artist = make_artist(db)
    assets = [make_asset(db, artist, name) for name in ("Hill", "Tree", "Barrel")]
    table_id, headers = setup_table(client)
    for asset in assets:
        add(client, table_id, asset, headers)
    for asset in (assets[0], assets[1], assets[0], assets[2]):
        clock.advance(timedelta(seconds=10))
        response = client.post(
            f"/api/tables/{table_id}/library/usage",
            json={"asset_id": str(asset.id)},
            headers=headers,
        )
        assert response.status_code == 200

    recent = client.get(f"/api/tables/{table_id}/library/recent", headers=headers).json()["assets"]

    assert [r["asset"]["name"] for r in recent] == ["Barrel", "Hill", "Tree"]
    assert [r["use_count"] for r in recent] == [1, 2, 1]
    stranger = make_asset(db, artist, "Not in library")
    response = client.post(
        f"/api/tables/{table_id}/library/usage",
        json={"asset_id": str(stranger.id)},
        headers=headers,
    )
    assert_error(response, 404, "not_in_library")


def test_library_filters_by_text_and_category_with_pages(client: TestClient, db: Session) -> None:
    artist = make_artist(db)
    table_id, headers = setup_table(client)
    made = [
        make_asset(db, artist, "Ruined tower", category="ruins"),
        make_asset(db, artist, "Ruined wall", category="ruins"),
        make_asset(db, artist, "Pine tree", category="forest", tags=["tree", "conifer"]),
        make_asset(db, artist, "100% crate", category="scatter"),
    ]
    for asset in made:
        add(client, table_id, asset, headers)
    url = f"/api/tables/{table_id}/library"

    assert len(library_ids(client, table_id, headers, q="ruined")) == 2
    assert library_ids(client, table_id, headers, q="conifer") == [str(made[2].id)]
    assert library_ids(client, table_id, headers, q="100%") == [str(made[3].id)]
    assert library_ids(client, table_id, headers, q="%") == [str(made[3].id)]
    assert len(library_ids(client, table_id, headers, category="ruins")) == 2
    page = client.get(url, params={"limit": 3, "offset": 3}, headers=headers).json()
    assert page["total"] == 4 and len(page["assets"]) == 1
    assert_error(client.get(url, params={"limit": 0}, headers=headers), 422, "validation_error")


def test_removing_a_set_takes_its_assets_with_it(
    client: TestClient, db: Session, clock: ManualClock
) -> None:
    artist = make_artist(db)
    own = make_asset(db, artist, "Chosen by hand")
    members = [make_asset(db, artist, f"Ruin {n}") for n in range(2)]
    ruins = make_set(db, artist, members)
    table_id, headers = setup_table(client)
    add(client, table_id, own, headers)
    client.post(
        f"/api/tables/{table_id}/library/sets", json={"set_id": str(ruins.id)}, headers=headers
    )

    response = client.delete(f"/api/tables/{table_id}/library/sets/{ruins.id}", headers=headers)

    assert response.status_code == 200 and response.json()["removed"] == 2
    assert library_ids(client, table_id, headers) == [str(own.id)]
    again = client.delete(f"/api/tables/{table_id}/library/sets/{ruins.id}", headers=headers)
    assert_error(again, 404, "set_not_found")
    restore = f"/api/tables/{table_id}/library/assets/{members[0].id}/restore"
    assert client.post(restore, headers=headers).status_code == 200
