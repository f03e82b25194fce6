"""Accounts through HTTP on the real database: register, login, me, logout, tokens."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import AuthToken, User
from tests.server.factories import DEFAULT_PASSWORD, bearer, register, unique_email


def assert_error(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]


def user_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(User)) or 0


def test_register_returns_user_and_working_token(client: TestClient, db: Session) -> None:
    body = register(client, email="Ada@Example.com", display_name="Ada")

    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["display_name"] == "Ada"
    assert body["user"]["role"] == "customer"
    assert body["user"]["plan"] == "user_free"
    me = client.get("/api/auth/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["user"]["id"] == body["user"]["id"]


def test_password_and_token_are_stored_only_as_hashes(client: TestClient, db: Session) -> None:
    body = register(client, email="hash@example.com")

    user = db.scalars(select(User)).one()
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in user.password_hash
    stored = db.scalars(select(AuthToken.token_hash)).one()
    assert stored != body["token"] and len(stored) == 64


def test_duplicate_email_in_other_case_is_refused(client: TestClient, db: Session) -> None:
    register(client, email="mixed.Case@example.com")

    response = client.post(
        "/api/auth/register", json={"email": "MIXED.case@EXAMPLE.com", "password": "another pass"}
    )

    assert_error(response, 409, "email_taken")
    assert user_count(db) == 1


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"email": "not-an-email", "password": "long enough"}, "body.email"),
        ({"email": "a@b", "password": "long enough"}, "body.email"),
        ({"email": "short@example.com", "password": "short"}, "body.password"),
        ({"email": "big@example.com", "password": "x" * 257}, "body.password"),
        ({"password": "long enough"}, "body.email"),
        ({"email": "x@example.com", "password": "long enough", "role": "admin"}, "body.role"),
        (
            {"email": "x@example.com", "password": "long enough", "display_name": "  "},
            "body.display_name",
        ),
    ],
)
def test_bad_registration_is_refused_and_creates_nothing(
    client: TestClient, db: Session, payload: dict[str, str], path: str
) -> None:
    response = client.post("/api/auth/register", json=payload)

    assert_error(response, 422, "validation_error")
    assert path in [d["path"] for d in response.json()["details"]]
    assert user_count(db) == 0


def test_body_that_is_not_json_gets_a_clear_400(client: TestClient, db: Session) -> None:
    response = client.post(
        "/api/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert_error(response, 400, "invalid_json")
    assert user_count(db) == 0


def test_login_with_any_case_of_the_email(client: TestClient) -> None:
    register(client, email="login@example.com")

    response = client.post(
        "/api/auth/login", json={"email": "LOGIN@example.com", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "login@example.com"
    assert client.get("/api/auth/me", headers=bearer(response.json()["token"])).status_code == 200


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient) -> None:
    register(client, email="known@example.com")

    wrong = client.post(
        "/api/auth/login", json={"email": "known@example.com", "password": "nope nope"}
    )
    unknown = client.post(
        "/api/auth/login", json={"email": "nobody@example.com", "password": DEFAULT_PASSWORD}
    )

    assert_error(wrong, 401, "invalid_credentials")
    assert_error(unknown, 401, "invalid_credentials")
    assert wrong.json() == unknown.json()


def test_me_needs_a_valid_bearer_token(client: TestClient, db: Session) -> None:
    assert_error(client.get("/api/auth/me"), 401, "auth_required")
    assert_error(client.get("/api/auth/me", headers=bearer("made-up")), 401, "invalid_token")
    basic = client.get("/api/auth/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(basic, 401, "invalid_token")
    assert basic.headers["WWW-Authenticate"] == "Bearer"


def test_logout_revokes_only_that_token(client: TestClient) -> None:
    email = unique_email()
    first = register(client, email=email)["token"]
    second = client.post("/api/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
    second_token = second.json()["token"]

    response = client.post("/api/auth/logout", headers=bearer(first))

    assert response.status_code == 200 and response.json() == {"success": True}
    assert_error(client.get("/api/auth/me", headers=bearer(first)), 401, "invalid_token")
    assert client.get("/api/auth/me", headers=bearer(second_token)).status_code == 200
    assert_error(client.post("/api/auth/logout", headers=bearer(first)), 401, "invalid_token")


def test_token_expires_after_its_lifetime(client: TestClient, clock: ManualClock) -> None:
    token = register(client)["token"]

    clock.advance(timedelta(days=29, hours=23))
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 200
    clock.advance(timedelta(hours=2))
    assert_error(client.get("/api/auth/me", headers=bearer(token)), 401, "token_expired")
