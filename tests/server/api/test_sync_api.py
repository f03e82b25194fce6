"""`/api/sync` through HTTP: idempotent pushes, recorded refusals, pulls by cursor, resets."""

import json
import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.services import sync
from tests.server.api.test_auth import assert_error
from tests.server.api.test_tables import as_session, create
from tests.server.factories import new_session

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"


def push(
    client: TestClient, headers: dict[str, str], device: str, mutations: list[dict[str, Any]]
) -> Any:
    return client.post(
        "/api/sync/push", json={"client_id": device, "mutations": mutations}, headers=headers
    )


def pull(client: TestClient, headers: dict[str, str], device: str, cursor: int = 0) -> Any:
    response = client.post(
        "/api/sync/pull", json={"client_id": device, "cursor": cursor}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_retried_push_changes_nothing(client: TestClient) -> None:
    headers, device, table = as_session(new_session(client)), str(uuid.uuid4()), str(uuid.uuid4())
    mutations = [
        {"mutation_id": 1, "kind": "create_table", "table_id": table, "name": "T"},
        {
            "mutation_id": 2,
            "kind": "add_placement",
            "table_id": table,
            "placement": {"id": "p", "modelId": MODEL, "x": 5},
        },
    ]

    first = push(client, headers, device, mutations).json()
    again = push(client, headers, device, mutations).json()

    assert (first["applied"], first["skipped"], first["last_mutation_id"]) == (2, 0, 2)
    assert (again["applied"], again["skipped"], again["last_mutation_id"]) == (0, 2, 2)
    tables = client.get("/api/tables/mine", headers=headers).json()["tables"]
    assert len(tables) == 1 and len(tables[0]["layout"]["models"]) == 1


def test_refusals_are_recorded_and_the_counter_advances(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    for n in range(3):
        create(client, headers, name=f"T{n}")
    fourth = str(uuid.uuid4())

    answer = push(
        client,
        headers,
        device,
        [
            {"mutation_id": 1, "kind": "create_table", "table_id": fourth},
            {
                "mutation_id": 2,
                "kind": "update_table",
                "table_id": str(uuid.uuid4()),
                "fields": {"name": "not mine"},
            },
        ],
    ).json()

    assert answer["last_mutation_id"] == 2 and answer["applied"] == 0
    assert [r["code"] for r in answer["rejections"]] == ["table_limit", "table_not_found"]
    pulled = pull(client, headers, device)
    assert [r["mutation_id"] for r in pulled["rejections"]] == [1, 2]
    assert pulled["last_mutation_id"] == 2


def test_edits_to_an_archived_table_are_refused(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, headers)["id"]
    client.delete(f"/api/tables/{table}", headers=headers)

    answer = push(
        client,
        headers,
        device,
        [
            {
                "mutation_id": 1,
                "kind": "add_placement",
                "table_id": table,
                "placement": {"id": "p", "modelId": MODEL},
            },
        ],
    ).json()

    assert [r["code"] for r in answer["rejections"]] == ["table_archived"]


def test_pull_returns_only_what_changed_after_the_cursor(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    other = str(uuid.uuid4())  # another device of the same session makes the edits
    quiet = create(client, headers, name="Quiet")["id"]
    busy = create(
        client,
        headers,
        name="Busy",
        layout={"models": [{"id": "a", "modelId": MODEL}, {"id": "b", "modelId": MODEL}]},
    )["id"]
    everything = pull(client, headers, device)
    cursor = everything["cursor"]
    assert {t["id"] for t in everything["tables"]} == {quiet, busy}

    push(
        client,
        headers,
        other,
        [
            {
                "mutation_id": 1,
                "kind": "move_placement",
                "table_id": busy,
                "placement_id": "a",
                "changes": {"x": 40},
            },
            {"mutation_id": 2, "kind": "remove_placement", "table_id": busy, "placement_id": "b"},
        ],
    )
    changes = pull(client, headers, device, cursor)

    assert [t["id"] for t in changes["tables"]] == [busy]
    assert changes["placements"] == [
        {
            "table_id": busy,
            "placement": {
                "id": "a",
                "modelId": MODEL,
                "x": 40,
                "y": 0.0,
                "z": 0.0,
                "rotation": 0.0,
                "scale": 1.0,
            },
        }
    ]
    assert changes["tombstones"] == [{"kind": "placement", "table_id": busy, "id": "b"}]
    assert pull(client, headers, device, changes["cursor"])["tables"] == []
    # The device that made the move holds it already: it is not sent back to it.
    assert pull(client, headers, other, cursor)["placements"] == []


def test_a_cursor_older_than_the_kept_tombstones_must_reset(
    client: TestClient, db: Session, clock: ManualClock
) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, headers, layout={"models": [{"id": "a", "modelId": MODEL}]})["id"]
    cursor = pull(client, headers, device)["cursor"]
    push(
        client,
        headers,
        device,
        [{"mutation_id": 1, "kind": "remove_placement", "table_id": table, "placement_id": "a"}],
    )

    sync.purge_tombstones(db, clock.now() + timedelta(days=31), keep=timedelta(days=30))
    db.commit()

    assert pull(client, headers, device, cursor)["reset_required"] is True
    fresh = pull(client, headers, device, 0)
    assert fresh["reset_required"] is False and fresh["tables"][0]["id"] == table


def test_bad_pushes_are_422(client: TestClient) -> None:
    """A push whose envelope is wrong, or holding a mutation without a usable id, is refused
    whole: there is no id to record a refusal under."""
    headers = as_session(new_session(client))
    for body in (
        {"client_id": "x", "mutations": []},
        {"client_id": str(uuid.uuid4()), "mutations": [{"kind": "explode"}]},
        {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {"mutation_id": 0, "kind": "archive_table", "table_id": str(uuid.uuid4())}
            ],
        },
    ):
        assert_error(
            client.post("/api/sync/push", json=body, headers=headers), 422, "validation_error"
        )
    assert_error(
        client.post("/api/sync/pull", json={"client_id": str(uuid.uuid4())}), 401, "auth_required"
    )


def test_a_retried_push_reports_its_refusals_again(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    for n in range(3):
        create(client, headers, name=f"T{n}")
    mutations = [{"mutation_id": 1, "kind": "create_table", "table_id": str(uuid.uuid4())}]

    first = push(client, headers, device, mutations).json()
    again = push(client, headers, device, mutations).json()

    assert first["rejections"] == again["rejections"]
    assert again["skipped"] == 1 and again["rejections"][0]["code"] == "table_limit"


def test_a_push_that_cannot_finish_answers_503_and_applies_nothing(
    database_url: str, clock: ManualClock, clean_database: None, engine: Any
) -> None:
    from fastapi.testclient import TestClient as Client
    from sqlalchemy import text

    from server.app import create_app
    from server.settings import Settings

    # Its own engine (and lock timeout): the app gives up on a lock after 200 ms.
    app = create_app(
        Settings(database_url=f"{database_url}?application_name=busy", lock_timeout_ms=200), clock
    )
    with Client(app, raise_server_exceptions=False) as client:
        headers, device = as_session(new_session(client)), str(uuid.uuid4())
        mutations = [{"mutation_id": 1, "kind": "create_table", "table_id": str(uuid.uuid4())}]
        with engine.connect() as other:  # another request holds the owner's row
            other.execute(
                text("SELECT id FROM anonymous_sessions WHERE id = :id FOR UPDATE"),
                {"id": headers["x-session-id"]},
            )
            busy = push(client, headers, device, mutations)
            other.rollback()

        assert_error(busy, 503, "database_unavailable")
        assert busy.headers["Retry-After"] == "2"
        assert client.get("/api/tables/mine", headers=headers).json()["total"] == 0
        assert push(client, headers, device, mutations).json()["applied"] == 1  # later: fine


def test_unstorable_text_refuses_only_the_mutation_that_holds_it(client: TestClient) -> None:
    """A NUL or a lone surrogate in one edit must not stop the device's other edits, or every
    later push (which carries that edit again) would be refused too."""
    headers, device, table = as_session(new_session(client)), str(uuid.uuid4()), str(uuid.uuid4())
    mutations = [
        {"mutation_id": 1, "kind": "create_table", "table_id": table, "name": "T"},
        {"mutation_id": 2, "kind": "update_table", "table_id": table, "fields": {"name": "a\0b"}},
        {
            "mutation_id": 3,
            "kind": "add_placement",
            "table_id": table,
            "placement": {"id": "p", "modelId": MODEL, "note": "\ud800"},
        },
        {
            "mutation_id": 4,
            "kind": "add_placement",
            "table_id": table,
            "placement": {"id": "q", "modelId": MODEL, "x": 5},
        },
        {"mutation_id": 5, "kind": "update_table", "table_id": table, "fields": {"name": "Good"}},
    ]
    body = json.dumps({"client_id": device, "mutations": mutations})  # \\u0000 and \\ud800
    answer = client.post(
        "/api/sync/push",
        content=body.encode(),
        headers={**headers, "Content-Type": "application/json"},
    )

    assert answer.status_code == 200, answer.text
    pushed = answer.json()
    assert (pushed["applied"], pushed["last_mutation_id"]) == (3, 5)
    refused = [(r["mutation_id"], r["code"]) for r in pushed["rejections"]]
    assert refused == [(2, "invalid_characters"), (3, "invalid_characters")]
    assert "NUL" in pushed["rejections"][0]["error"]
    [saved] = client.get("/api/tables/mine", headers=headers).json()["tables"]
    assert saved["name"] == "Good"
    assert [m["id"] for m in saved["layout"]["models"]] == ["q"]
    later = push(
        client,
        headers,
        device,
        [{"mutation_id": 6, "kind": "update_table", "table_id": table, "fields": {"name": "Z"}}],
    )
    assert later.json()["applied"] == 1
