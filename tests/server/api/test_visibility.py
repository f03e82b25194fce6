"""An artist's draft never shows to anyone else: not through a table's library, a clone, a
sync pull or a set; cloning copies only what the cloner may see."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from tests.server.api.test_sync_api import pull
from tests.server.api.test_tables import as_session, create
from tests.server.factories import bearer, make_asset, make_set, new_session, register_artist


def library_ids(client: TestClient, table: str, headers: dict[str, str]) -> list[str]:
    answer = client.get(f"/api/tables/{table}/library", headers=headers)
    assert answer.status_code == 200, answer.text
    return sorted(a["id"] for a in answer.json()["assets"])


def artist_with_public_table(
    client: TestClient, db: Session
) -> tuple[dict[str, str], str, Asset, Asset]:
    """An artist whose public table's library holds one published asset and one own draft."""
    artist = register_artist(client, db)
    user = db.get(User, uuid.UUID(artist["user"]["id"]))
    assert user is not None
    published = make_asset(db, user, "Ruined wall")
    draft = make_asset(db, user, "Secret tower", status="draft", price="99.00")
    headers = bearer(artist["token"])
    table = create(client, headers, name="Showcase", is_public=True)["id"]
    for asset in (published, draft):
        added = client.post(
            f"/api/tables/{table}/library/assets", json={"asset_id": str(asset.id)}, headers=headers
        )
        assert added.status_code == 201, added.text
    assert library_ids(client, table, headers) == sorted([str(published.id), str(draft.id)])
    return headers, table, published, draft


def test_a_clone_copies_only_what_the_cloner_may_see(client: TestClient, db: Session) -> None:
    _, table, published, draft = artist_with_public_table(client, db)
    visitor, device = as_session(new_session(client)), str(uuid.uuid4())

    clone = client.post(f"/api/tables/{table}/clone", headers=visitor)

    assert clone.status_code == 201, clone.text
    copy = clone.json()["table"]["id"]
    assert library_ids(client, copy, visitor) == [str(published.id)]
    pulled: list[dict[str, Any]] = pull(client, visitor, device)["library"]
    assert [e["asset_id"] for e in pulled] == [str(published.id)]
    assert str(draft.id) not in clone.text


def test_an_asset_taken_back_leaves_every_view_of_others_libraries(
    client: TestClient, db: Session
) -> None:
    _, _, published, _ = artist_with_public_table(client, db)
    owner, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, owner)["id"]
    client.post(
        f"/api/tables/{table}/library/assets", json={"asset_id": str(published.id)}, headers=owner
    ).raise_for_status()
    client.post(
        f"/api/tables/{table}/library/usage", json={"asset_id": str(published.id)}, headers=owner
    ).raise_for_status()
    assert library_ids(client, table, owner) == [str(published.id)]

    published.status = "draft"  # the artist unpublishes it
    db.commit()

    assert library_ids(client, table, owner) == []
    recent = client.get(f"/api/tables/{table}/library/recent", headers=owner).json()
    assert recent["assets"] == []
    assert pull(client, owner, device)["library"] == []


def test_a_set_shows_and_counts_only_members_the_caller_may_see(
    client: TestClient, db: Session
) -> None:
    artist_headers, _, published, draft = artist_with_public_table(client, db)
    artist = db.get(User, published.artist_id)
    assert artist is not None
    ruins = make_set(db, artist, [published, draft])
    visitor = as_session(new_session(client))

    listed = client.get("/api/library/sets").json()["sets"]
    assert [(s["id"], s["asset_count"]) for s in listed] == [(str(ruins.id), 1)]
    detail = client.get(f"/api/library/sets/{ruins.id}").json()["set"]
    assert [a["id"] for a in detail["assets"]] == [str(published.id)]
    assert detail["asset_count"] == 1
    table = create(client, visitor)["id"]
    added = client.post(
        f"/api/tables/{table}/library/sets", json={"set_id": str(ruins.id)}, headers=visitor
    ).json()
    assert (added["added"], added["already_present"], added["skipped_unavailable"]) == (1, 0, 0)
    assert library_ids(client, table, visitor) == [str(published.id)]
    # The artist sees their own draft in their set.
    own = client.get("/api/library/sets", headers=artist_headers).json()["sets"]
    assert own[0]["asset_count"] == 2
