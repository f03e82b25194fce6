"""Headers that protect clients, and API docs that work without the internet."""

import re

from fastapi.testclient import TestClient

from tests.server.factories import DEFAULT_PASSWORD, register, unique_email


def test_answers_carrying_credentials_are_never_cached(client: TestClient) -> None:
    email = unique_email()
    registered = client.post("/api/auth/register", json={"email": email, "password": "pass" * 3})
    logged_in = client.post("/api/auth/login", json={"email": email, "password": "pass" * 3})
    session = client.post("/api/sessions")
    current = client.get(
        "/api/sessions/current", headers={"x-session-id": session.json()["session"]["id"]}
    )

    for answer in (registered, logged_in, session, current):
        assert answer.is_success, answer.text
        assert answer.headers["Cache-Control"] == "no-store"


def test_answers_to_a_signed_in_or_session_caller_are_never_cached(client: TestClient) -> None:
    """A shared cache must never hand one caller's account, orders or tables to another."""
    signed_in = {"Authorization": f"Bearer {register(client)['token']}"}
    session = {"x-session-id": client.post("/api/sessions").json()["session"]["id"]}
    device = {"client_id": "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11", "cursor": 0}

    for answer in (
        client.get("/api/auth/me", headers=signed_in),
        client.get("/api/orders", headers=signed_in),
        client.get("/api/orders/owned-assets", headers=signed_in),
        client.post("/api/sync/pull", json=device, headers=signed_in),
        client.get("/api/tables/mine", headers=session),
        client.post("/api/sync/pull", json=device, headers=session),
    ):
        assert answer.is_success, answer.text
        assert answer.headers.get("Cache-Control") == "no-store", answer.url
    refused = client.get("/api/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401 and refused.headers["Cache-Control"] == "no-store"

    public = client.get("/api/library/assets")  # the same for everyone: caches may keep it
    assert public.status_code == 200 and "Cache-Control" not in public.headers


def test_every_answer_forbids_content_sniffing(client: TestClient) -> None:
    token = register(client, password=DEFAULT_PASSWORD)["token"]
    for answer in (
        client.get("/health"),
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}),
        client.get("/api/nothing-here"),
        client.post("/api/tables", content=b"{", headers={"Content-Type": "application/json"}),
        client.get("/docs"),
    ):
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.url


def test_the_api_docs_load_everything_from_this_server(client: TestClient) -> None:
    page = client.get("/docs")

    assert page.status_code == 200 and "swagger-ui" in page.text
    assert "://" not in page.text  # no CDN, no favicon or validator from another host
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) >= 3
    for path in assets:
        assert path.startswith("/"), path
        served = client.get(path)
        assert served.status_code == 200, path
        assert served.content  # the real file, not an empty answer
    spec = client.get(re.search(r"url: '([^']+)'", page.text).group(1))  # type: ignore[union-attr]
    assert spec.json()["info"]["title"] == "Terrain Builder server"


def test_the_spec_documents_each_operations_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = [op for ops in spec["paths"].values() for op in ops.values()]

    assert len(operations) > 30
    for operation in operations:
        errors = {code: body for code, body in operation["responses"].items() if code >= "400"}
        assert {"400", "413", "422", "503"} <= set(errors), operation["operationId"]
        for body in errors.values():
            schema = body["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    login = spec["paths"]["/api/auth/login"]["post"]["responses"]
    assert {"401", "429"} <= set(login)
