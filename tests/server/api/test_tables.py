"""Tables through HTTP on the real database: defaults, layouts, limits, sharing, cloning."""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import GameTable, User
from server.settings import Settings
from tests.server.api.test_auth import assert_error
from tests.server.factories import (
    DEFAULT_PASSWORD,
    bearer,
    make_artist,
    make_asset,
    new_session,
    register,
    unique_email,
)
from tests.server.waiting import eventually


def as_session(session_id: str) -> dict[str, str]:
    return {"x-session-id": session_id}


def create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/tables", json=body, headers=headers)
    assert response.status_code == 201, response.text
    table: dict[str, Any] = response.json()["table"]
    return table


def placement(pid: str, model_id: uuid.UUID | str, **fields: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "modelId": str(model_id),
        "x": 100,
        "y": 200,
        "z": 0,
        "rotation": 0,
        "scale": 1,
        **fields,
    }


def test_new_table_has_the_original_defaults(client: TestClient) -> None:
    response = client.post("/api/tables", headers=as_session(new_session(client)))

    assert response.status_code == 201
    table = response.json()["table"]
    assert (table["width"], table["depth"]) == (1200, 900)
    assert table["layout"] == {"models": []}
    assert table["is_public"] is False
    assert re.fullmatch(r"[0-9A-F]{16}", table["share_code"])
    assert (table["status"], table["plan"], table["version"]) == ("active", "anon_free", 1)


def test_account_tables_are_on_the_account_plan(client: TestClient) -> None:
    token = register(client)["token"]

    table = create(client, bearer(token), name="Game night", width=1829, depth=1219)

    assert table["plan"] == "user_free" and table["name"] == "Game night"
    assert table["user_id"] is not None and table["session_id"] is None


def test_layout_is_kept_as_sent(client: TestClient) -> None:
    model = uuid.uuid4()
    layout = {"models": [placement("p1", model, rotation=45, scale=1.5, locked=True)]}

    table = create(client, as_session(new_session(client)), layout=layout)

    assert table["layout"]["models"][0] == {**layout["models"][0], "locked": True}


@pytest.mark.parametrize(
    ("layout", "path"),
    [
        ({"models": [placement("p1", uuid.uuid4(), x=1e9)]}, "body.layout.models.0.x"),
        ({"models": [{"id": "p1", "x": 1}]}, "body.layout.models.0.modelId"),
        ({"models": [placement("p1", "not-a-uuid")]}, "body.layout.models.0.modelId"),
        ({"models": [placement("p1", uuid.uuid4(), scale=0)]}, "body.layout.models.0.scale"),
        ({"models": [placement("", uuid.uuid4())]}, "body.layout.models.0.id"),
        (
            {"models": [placement("a", uuid.uuid4()), placement("a", uuid.uuid4())]},
            "body.layout.models",
        ),
        ({"models": "none"}, "body.layout.models"),
    ],
)
def test_bad_layouts_get_422_with_the_offending_path(
    client: TestClient, db: Session, layout: dict[str, Any], path: str
) -> None:
    response = client.post(
        "/api/tables", json={"layout": layout}, headers=as_session(new_session(client))
    )

    assert_error(response, 422, "validation_error")
    assert path in [d["path"] for d in response.json()["details"]]
    assert db.scalars(select(GameTable)).all() == []


@pytest.mark.parametrize(
    "body", [{"width": 10}, {"depth": 20_000}, {"name": ""}, {"is_public": "maybe"}, {"owner": "x"}]
)
def test_bad_table_fields_are_refused(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/tables", json=body, headers=as_session(new_session(client)))

    assert_error(response, 422, "validation_error")


def test_layout_beyond_max_assets_is_refused(client: TestClient, app: Any) -> None:
    app.state.settings = Settings(
        database_url=app.state.settings.database_url, max_assets_per_table=2
    )
    layout = {"models": [placement(f"p{i}", uuid.uuid4()) for i in range(3)]}

    response = client.post(
        "/api/tables", json={"layout": layout}, headers=as_session(new_session(client))
    )

    assert_error(response, 422, "validation_error")
    assert response.json()["details"][0]["path"] == "body.layout.models"


def test_fourth_table_of_an_anonymous_session_is_refused(client: TestClient) -> None:
    headers = as_session(new_session(client))
    for n in range(3):
        create(client, headers, name=f"Table {n}")

    response = client.post("/api/tables", json={"name": "One too many"}, headers=headers)

    assert_error(response, 402, "table_limit")
    assert "limit" in response.json()["error"]
    mine = client.get("/api/tables/mine", headers=headers).json()
    assert mine["total"] == 3


def test_fourth_table_of_a_free_account_is_refused_and_archiving_frees_a_slot(
    client: TestClient,
) -> None:
    headers = bearer(register(client)["token"])
    ids = [create(client, headers)["id"] for _ in range(3)]

    assert_error(client.post("/api/tables", headers=headers), 402, "table_limit")
    archived = client.delete(f"/api/tables/{ids[0]}", headers=headers)
    assert archived.status_code == 200 and archived.json()["table"]["status"] == "archived"
    create(client, headers)
    # The archived table cannot come back while the plan is full...
    assert_error(client.post(f"/api/tables/{ids[0]}/restore", headers=headers), 402, "table_limit")
    client.delete(f"/api/tables/{ids[1]}", headers=headers)
    # ...and can once a slot is free.
    restored = client.post(f"/api/tables/{ids[0]}/restore", headers=headers)
    assert restored.status_code == 200 and restored.json()["table"]["status"] == "active"


def test_pro_accounts_hold_ten_tables(client: TestClient, db: Session) -> None:
    body = register(client)
    db.execute(update(User).where(User.id == uuid.UUID(body["user"]["id"])).values(plan="pro"))
    db.commit()
    headers = bearer(body["token"])

    for _ in range(10):
        assert create(client, headers)["plan"] == "pro"
    assert_error(client.post("/api/tables", headers=headers), 402, "table_limit")


@pytest.mark.parametrize("owner_kind", ["session", "account"])
def test_limit_holds_under_twenty_concurrent_creates(
    client: TestClient, live_server: str, db: Session, owner_kind: str
) -> None:
    headers = (
        as_session(new_session(client))
        if owner_kind == "session"
        else bearer(register(client)["token"])
    )

    def attempt(n: int) -> int:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            return http.post("/api/tables", json={"name": f"T{n}"}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))

    assert sorted(statuses) == [201] * 3 + [402] * 17
    assert len(db.scalars(select(GameTable)).all()) == 3


def test_private_table_of_someone_else_is_not_found(client: TestClient) -> None:
    mine = bearer(register(client)["token"])
    theirs = bearer(register(client)["token"])
    table = create(client, mine)

    assert client.get(f"/api/tables/{table['id']}", headers=mine).status_code == 200
    assert_error(client.get(f"/api/tables/{table['id']}", headers=theirs), 404, "table_not_found")
    assert_error(client.get(f"/api/tables/{table['id']}"), 404, "table_not_found")
    assert_error(client.get(f"/api/tables/{uuid.uuid4()}", headers=mine), 404, "table_not_found")


def test_public_table_views_are_counted_for_others_only(client: TestClient, app: Any) -> None:
    mine = bearer(register(client)["token"])
    table = create(client, mine, is_public=True)
    url = f"/api/tables/{table['id']}"

    client.get(url, headers=mine)
    seen = client.get(url).json()["table"]
    client.get(url, headers=as_session(new_session(client)))
    # Views are stored in batches shortly after (reads never write): wait for the batch.
    eventually(lambda: app.state.views.pending() == 0, what="views stored")

    assert client.get(url, headers=mine).json()["table"]["view_count"] == 2
    assert seen["share_code"] is None and seen["session_id"] is None


def test_tables_of_a_user(client: TestClient) -> None:
    body = register(client)
    mine = bearer(body["token"])
    public = create(client, mine, name="Public", is_public=True)
    create(client, mine, name="Private")
    url = f"/api/tables/user/{body['user']['id']}"

    own_view = client.get(url, headers=mine).json()
    other_view = client.get(url, headers=bearer(register(client)["token"])).json()

    assert own_view["total"] == 2
    assert [t["id"] for t in other_view["tables"]] == [public["id"]]


def test_update_bumps_version_and_guards_against_stale_edits(client: TestClient) -> None:
    headers = as_session(new_session(client))
    table = create(client, headers)
    model = uuid.uuid4()

    response = client.patch(
        f"/api/tables/{table['id']}",
        json={
            "name": "Renamed",
            "width": 1829,
            "layout": {"models": [placement("p", model)]},
            "expected_version": 1,
        },
        headers=headers,
    )

    assert response.status_code == 200, response.text
    updated = response.json()["table"]
    assert (updated["name"], updated["width"], updated["depth"]) == ("Renamed", 1829, 900)
    assert updated["version"] == 2 and updated["updated_at"] >= table["updated_at"]
    assert updated["layout"]["models"][0]["modelId"] == str(model)
    stale = client.patch(
        f"/api/tables/{table['id']}", json={"name": "Stale", "expected_version": 1}, headers=headers
    )
    assert_error(stale, 409, "version_conflict")
    assert_error(
        client.patch(f"/api/tables/{table['id']}", json={"name": None}, headers=headers),
        422,
        "validation_error",
    )
    final = client.get(f"/api/tables/{table['id']}", headers=headers).json()["table"]
    assert final["name"] == "Renamed" and final["version"] == 2


def test_archived_table_cannot_be_edited(client: TestClient) -> None:
    headers = as_session(new_session(client))
    table = create(client, headers)
    client.delete(f"/api/tables/{table['id']}", headers=headers)

    response = client.patch(f"/api/tables/{table['id']}", json={"name": "x"}, headers=headers)

    assert_error(response, 409, "table_archived")


def test_share_code_finds_the_table_in_any_case(client: TestClient) -> None:
    headers = as_session(new_session(client))
    table = create(client, headers, name="Shared")

    found = client.get(f"/api/tables/share/{table['share_code'].lower()}")

    assert found.status_code == 200
    assert found.json()["table"]["id"] == table["id"]
    assert found.json()["table"]["share_code"] == table["share_code"]
    assert_error(client.get("/api/tables/share/0000000000000000"), 404, "table_not_found")
    assert_error(client.get("/api/tables/share/../../etc"), 404, "not_found")


def test_clone_copies_table_and_library_for_the_caller(client: TestClient, db: Session) -> None:
    owner = bearer(register(client)["token"])
    table = create(
        client, owner, name="Ruined city", layout={"models": [placement("p", uuid.uuid4())]}
    )
    asset = make_asset(db, make_artist(db))
    client.post(
        f"/api/tables/{table['id']}/library/assets", json={"asset_id": str(asset.id)}, headers=owner
    )
    cloner = as_session(new_session(client))

    # Private and without the code: not found. With the code: cloned.
    assert_error(
        client.post(f"/api/tables/{table['id']}/clone", headers=cloner), 404, "table_not_found"
    )
    response = client.post(
        f"/api/tables/{table['id']}/clone", json={"share_code": table["share_code"]}, headers=cloner
    )

    assert response.status_code == 201, response.text
    copy = response.json()["table"]
    assert copy["id"] != table["id"] and copy["name"] == "Ruined city (copy)"
    assert copy["layout"] == table["layout"] and copy["cloned_from_id"] == table["id"]
    assert copy["share_code"] != table["share_code"] and copy["plan"] == "anon_free"
    library = client.get(f"/api/tables/{copy['id']}/library", headers=cloner).json()
    assert [a["id"] for a in library["assets"]] == [str(asset.id)]
    source = client.get(f"/api/tables/{table['id']}", headers=owner).json()["table"]
    assert source["clone_count"] == 1


def test_clone_counts_against_the_callers_limit(client: TestClient) -> None:
    public = create(client, as_session(new_session(client)), is_public=True)
    cloner = as_session(new_session(client))
    for _ in range(3):
        assert client.post(f"/api/tables/{public['id']}/clone", headers=cloner).status_code == 201

    assert_error(
        client.post(f"/api/tables/{public['id']}/clone", headers=cloner), 402, "table_limit"
    )


def test_signing_in_moves_session_tables_to_the_account(client: TestClient) -> None:
    session = new_session(client)
    tables = [create(client, as_session(session), name=f"Anon {n}")["id"] for n in range(2)]

    body = register(client, headers=as_session(session))

    assert sorted(body["moved_table_ids"]) == sorted(tables)
    assert body["claimed_session_id"] == session
    mine = client.get("/api/tables/mine", headers=bearer(body["token"])).json()
    assert sorted(t["id"] for t in mine["tables"]) == sorted(tables)
    assert {t["plan"] for t in mine["tables"]} == {"user_free"}


def test_tables_beyond_the_account_limit_stay_with_the_session(
    client: TestClient, clock: ManualClock
) -> None:
    email = unique_email()
    token = register(client, email=email)["token"]
    create(client, bearer(token))
    create(client, bearer(token))
    session = new_session(client)
    anon = []
    for n in range(3):
        clock.advance(timedelta(minutes=1))
        anon.append(create(client, as_session(session), name=f"Anon {n}")["id"])

    response = client.post(
        "/api/auth/login",
        json={"email": email, "password": DEFAULT_PASSWORD},
        headers=as_session(session),
    )

    body = response.json()
    assert body["moved_table_ids"] == anon[:1]  # the oldest first
    assert body["tables_left_in_session"] == anon[1:]
    assert body["claimed_session_id"] is None
    left = client.get("/api/tables/mine", headers=as_session(session)).json()
    assert sorted(t["id"] for t in left["tables"]) == sorted(anon[1:])
