"""Anonymous sessions through HTTP: creation, sliding expiry, and claiming by an account."""

import uuid
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import AnonymousSession
from tests.server.api.test_auth import assert_error
from tests.server.factories import DEFAULT_PASSWORD, new_session, register, unique_email


def current(client: TestClient, session_id: str):  # type: ignore[no-untyped-def]
    return client.get("/api/sessions/current", headers={"x-session-id": session_id})


def test_new_session_lives_thirty_days(client: TestClient, clock: ManualClock) -> None:
    response = client.post("/api/sessions")

    assert response.status_code == 201
    session = response.json()["session"]
    expires = datetime.fromisoformat(session["expires_at"])
    assert expires == clock.now() + timedelta(days=30)
    assert current(client, session["id"]).status_code == 200


def test_each_use_extends_the_session(client: TestClient, clock: ManualClock) -> None:
    session_id = new_session(client)

    for _ in range(3):  # 87 days in all, never 30 without use
        clock.advance(timedelta(days=29))
        response = current(client, session_id)
        assert response.status_code == 200, response.text
    expires = datetime.fromisoformat(response.json()["session"]["expires_at"])
    assert expires == clock.now() + timedelta(days=30)


def test_session_unused_for_thirty_days_expires(client: TestClient, clock: ManualClock) -> None:
    session_id = new_session(client)

    clock.advance(timedelta(days=30, seconds=1))

    assert_error(current(client, session_id), 401, "session_expired")


def test_missing_malformed_and_unknown_sessions_are_told_apart(client: TestClient) -> None:
    assert_error(client.get("/api/sessions/current"), 401, "session_required")
    assert_error(current(client, "not-a-uuid"), 401, "session_invalid")
    assert_error(current(client, str(uuid.uuid4())), 401, "session_invalid")


def test_registering_with_a_session_claims_it(client: TestClient, db: Session) -> None:
    session_id = new_session(client)

    body = register(client, headers={"x-session-id": session_id})

    assert body["claimed_session_id"] == session_id
    row = db.get(AnonymousSession, uuid.UUID(session_id))
    assert row is not None and str(row.claimed_by) == body["user"]["id"]
    assert_error(current(client, session_id), 401, "session_claimed")


def test_login_with_a_session_claims_it(client: TestClient, db: Session) -> None:
    email = unique_email()
    user_id = register(client, email=email)["user"]["id"]
    session_id = new_session(client)

    response = client.post(
        "/api/auth/login",
        json={"email": email, "password": DEFAULT_PASSWORD},
        headers={"x-session-id": session_id},
    )

    assert response.status_code == 200
    assert response.json()["claimed_session_id"] == session_id
    row = db.get(AnonymousSession, uuid.UUID(session_id))
    assert row is not None and str(row.claimed_by) == user_id


def test_stale_session_header_does_not_block_sign_in(
    client: TestClient, clock: ManualClock, db: Session
) -> None:
    email = unique_email()
    register(client, email=email)
    expired = new_session(client)
    clock.advance(timedelta(days=31))

    for header in (expired, "garbage", str(uuid.uuid4())):
        response = client.post(
            "/api/auth/login",
            json={"email": email, "password": DEFAULT_PASSWORD},
            headers={"x-session-id": header},
        )
        assert response.status_code == 200
        assert response.json()["claimed_session_id"] is None
    row = db.get(AnonymousSession, uuid.UUID(expired))
    assert row is not None and row.claimed_by is None


def test_a_session_is_claimed_once(client: TestClient) -> None:
    session_id = new_session(client)
    first = register(client, headers={"x-session-id": session_id})

    second = register(client, headers={"x-session-id": session_id})

    assert first["claimed_session_id"] == session_id
    assert second["claimed_session_id"] is None
