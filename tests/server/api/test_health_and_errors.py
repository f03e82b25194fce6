"""Health checks and the uniform error shape for requests no route handles."""

from fastapi.testclient import TestClient

from server.app import create_app
from server.clock import ManualClock
from server.settings import Settings
from tests.server.api.test_auth import assert_error


def test_health_checks_the_database(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_down() -> None:
    # Port 1 on loopback refuses connections: a database that is down, not a mocked one.
    settings = Settings(
        database_url="postgresql://postgres@127.0.0.1:1/terrain", database_connect_timeout=2
    )
    with TestClient(create_app(settings, ManualClock()), raise_server_exceptions=False) as client:
        response = client.get("/health")
        assert_error(response, 503, "database_unavailable")
        # Any route that needs the database says the same, never a 500.
        register = client.post(
            "/api/auth/register", json={"email": "a@example.com", "password": "long enough"}
        )
        assert_error(register, 503, "database_unavailable")


def test_unknown_route_and_wrong_method_are_json_errors(client: TestClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/auth/login"), 405, "method_not_allowed")


def test_nul_characters_are_refused_before_the_database(client: TestClient) -> None:
    session = client.post("/api/sessions").json()["session"]["id"]
    headers = {"x-session-id": session}

    assert_error(client.get("/api/library/assets", params={"q": "\x00"}), 400, "invalid_characters")
    body = client.post("/api/tables", json={"name": "bad\u0000name"}, headers=headers)
    assert_error(body, 400, "invalid_characters")
    raw = client.post(
        "/api/tables",
        content=b'{"name": "bad\\u0000name"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_error(raw, 400, "invalid_characters")
    assert client.get("/api/tables/mine", headers=headers).json()["total"] == 0
    fine = client.post("/api/tables", json={"name": "Good name"}, headers=headers)
    assert fine.status_code == 201


def test_ready_names_the_migration_head(client: TestClient) -> None:
    response = client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["migration"] == body["expected_migration"]


def test_not_ready_while_a_migration_is_pending(empty_database: str) -> None:
    # A brand-new process pointed at a database that `migrate` has not reached yet.
    from server import migrate

    migrate.upgrade(empty_database, lambda _: None)
    migrate.rollback(empty_database, 1, lambda _: None)
    settings = Settings(database_url=empty_database)
    with TestClient(create_app(settings, ManualClock()), raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 200  # alive...
        assert_error(client.get("/ready"), 503, "migration_pending")  # ...but not ready
    from server.db.engine import engine_for

    engine_for(settings.database_url).dispose()  # let the fixture drop the database


def test_not_ready_when_the_database_is_down() -> None:
    settings = Settings(
        database_url="postgresql://postgres@127.0.0.1:1/terrain", database_connect_timeout=2
    )
    with TestClient(create_app(settings, ManualClock()), raise_server_exceptions=False) as client:
        assert_error(client.get("/ready"), 503, "database_unavailable")
