"""Malformed bodies get a 4xx JSON error that changes nothing, never a 500: nesting without
end, text PostgreSQL cannot store, upper-case content types, one bad mutation in a push."""

import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import User
from terrain_protocol.wire import WireModel
from tests.protocol.test_wire import nested
from tests.server.api.test_auth import assert_error
from tests.server.api.test_sync_api import MODEL, pull
from tests.server.api.test_tables import as_session, create
from tests.server.factories import new_session, register


def raw_json(body: str) -> dict[str, Any]:
    """`content=` for a body spelled by hand: JSON escapes that Python's encoder never makes."""
    return {"content": body.encode("ascii"), "headers": {"Content-Type": "application/json"}}


def test_a_layout_nested_300_levels_is_refused_and_changes_nothing(client: TestClient) -> None:
    headers = as_session(new_session(client))
    table = create(client, headers, name="Deep")
    piece = {"id": "p1", "modelId": MODEL, "style": nested(300)}

    for layout in ({"models": [piece]}, {"models": [], "grid": nested(300)}):
        path = f"/api/tables/{table['id']}"
        answer = client.patch(path, json={"layout": layout}, headers=headers)
        assert_error(answer, 422, "validation_error")
        assert "nest at most" in answer.json()["error"]

    after = client.get(f"/api/tables/{table['id']}", headers=headers).json()["table"]
    assert after["version"] == table["version"] and after["layout"] == {"models": []}


def test_one_bad_mutation_is_refused_alone_and_the_rest_apply(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, headers, name="Before")["id"]
    good = {"id": "ok", "modelId": MODEL, "x": 10}
    mutations = [
        {"mutation_id": 1, "kind": "add_placement", "table_id": table, "placement": good},
        {
            "mutation_id": 2,
            "kind": "add_placement",
            "table_id": table,
            "placement": {"id": "deep", "modelId": MODEL, "style": nested(300)},
        },
        {"mutation_id": 3, "kind": "update_table", "table_id": table, "fields": {"name": "\ud800"}},
        {"mutation_id": 4, "kind": "update_table", "table_id": table, "fields": {"name": "After"}},
    ]

    # json.dumps spells the lone surrogate as the escape a client would send.
    sent = json.dumps({"client_id": device, "mutations": mutations})
    answer = client.post("/api/sync/push", content=sent, headers={**headers, **_json})

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["last_mutation_id"], body["applied"]) == (4, 2)
    assert [(r["mutation_id"], r["code"]) for r in body["rejections"]] == [
        (2, "validation_error"),
        (3, "invalid_characters"),
    ]
    on_server = client.get(f"/api/tables/{table}", headers=headers).json()["table"]
    assert on_server["name"] == "After"
    assert [p["id"] for p in on_server["layout"]["models"]] == ["ok"]
    # The refusals are kept, told again to a pull, and a retry changes nothing.
    assert [r["mutation_id"] for r in pull(client, headers, device)["rejections"]] == [2, 3]
    again = client.post("/api/sync/push", content=sent, headers={**headers, **_json}).json()
    assert (again["applied"], again["skipped"], len(again["rejections"])) == (0, 4, 2)


def test_unstorable_emails_are_refused_at_login_and_registration(
    client: TestClient, db: Session
) -> None:
    for path in ("/api/auth/login", "/api/auth/register"):
        for email in ("\\ud800@x.io", "a\\udfff@example.com"):
            body = f'{{"email": "{email}", "password": "long enough pass"}}'
            assert_error(client.post(path, **raw_json(body)), 422, "validation_error")
    assert db.scalar(select(func.count()).select_from(User)) == 0
    register(client, email="fine@x.io")  # the server still works


def test_unstorable_keys_and_values_are_refused_everywhere(client: TestClient) -> None:
    headers = as_session(new_session(client))
    table = create(client, headers)["id"]
    for url, body in (
        ("/api/tables", '{"name": "a\\udc00b"}'),
        ("/api/tables", '{"\\ud800": 1}'),
        (f"/api/tables/{table}/clone", '{"name": "\\ud800"}'),
    ):
        answer = client.post(url, content=body.encode(), headers={**headers, **_json})
        assert_error(answer, 422, "validation_error")
    bad_key = json.dumps({"layout": {"models": [{"id": "p", "modelId": MODEL, "\ud800": 1}]}})
    answer = client.patch(f"/api/tables/{table}", content=bad_key, headers={**headers, **_json})
    assert_error(answer, 422, "validation_error")
    assert client.get("/api/tables/mine", headers=headers).json()["total"] == 1


_json = {"Content-Type": "application/json"}


def test_content_types_are_matched_whatever_their_case(client: TestClient) -> None:
    headers = as_session(new_session(client))
    for content_type in ("Application/JSON", "APPLICATION/JSON; charset=UTF-8"):
        answer = client.post(
            "/api/tables",
            content=b'{"name": "bad\\u0000name"}',
            headers={**headers, "Content-Type": content_type},
        )
        assert_error(answer, 400, "invalid_characters")
    assert client.get("/api/tables/mine", headers=headers).json()["total"] == 0


def test_json_nested_past_the_parser_is_a_4xx(client: TestClient) -> None:
    headers = as_session(new_session(client))
    body = b"[" * 200_000 + b"]" * 200_000
    answer = client.post("/api/tables", content=body, headers={**headers, **_json})
    assert 400 <= answer.status_code < 500 and answer.json()["code"]


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


def _api_routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


def test_every_request_body_checks_its_text(app: FastAPI) -> None:
    """A new request model that forgets the protocol's base would let such text through."""
    seen: set[type[BaseModel]] = set()
    todo = [
        model
        for route in _api_routes(app.routes)
        for param in route.dependant.body_params
        for model in _models(param.field_info.annotation)
    ]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        todo += [m for field in model.model_fields.values() for m in _models(field.annotation)]
    assert len(seen) > 10
    assert [m.__name__ for m in seen if not issubclass(m, WireModel)] == []
