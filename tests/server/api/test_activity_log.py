"""Sign-ins and registrations leave activity rows an operator can query: who, from where, when,
and failed attempts too (which change nothing else)."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.db.models import ActivityLog
from tests.server.factories import DEFAULT_PASSWORD, register, unique_email


def activity(db: Session, action: str) -> list[ActivityLog]:
    db.expire_all()
    query = select(ActivityLog).where(ActivityLog.action == action).order_by(ActivityLog.id)
    return list(db.scalars(query))


def login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def test_a_registration_and_a_sign_in_are_recorded_with_the_account_and_address(
    client: TestClient, db: Session
) -> None:
    email = unique_email()
    user_id = register(client, email)["user"]["id"]

    assert login(client, email, DEFAULT_PASSWORD).status_code == 200

    [registered] = activity(db, "account.registered")
    [signed_in] = activity(db, "auth.signed_in")
    for row in (registered, signed_in):
        assert str(row.user_id) == user_id
        assert (row.entity_type, row.entity_id) == ("user", user_id)
        assert row.client_address == "testclient"  # the peer the server saw
        assert row.created_at is not None


def test_failed_sign_ins_are_recorded_though_nothing_else_is_written(
    client: TestClient, db: Session
) -> None:
    email = unique_email()
    user_id = register(client, email)["user"]["id"]

    wrong = login(client, email, "not the password")
    nobody = login(client, "nobody@example.com", DEFAULT_PASSWORD)

    assert wrong.status_code == nobody.status_code == 401
    failed = activity(db, "auth.sign_in_failed")
    assert [(str(r.user_id) if r.user_id else None, r.details) for r in failed] == [
        (user_id, {"email": email}),
        (None, {"email": "nobody@example.com"}),
    ]
    assert all(r.client_address == "testclient" for r in failed)
    assert activity(db, "auth.signed_in") == []


def test_a_refused_registration_leaves_no_record(client: TestClient, db: Session) -> None:
    email = unique_email()
    register(client, email)

    again = client.post("/api/auth/register", json={"email": email, "password": DEFAULT_PASSWORD})

    assert again.status_code == 409
    assert len(activity(db, "account.registered")) == 1


def test_a_server_error_is_counted_by_the_monitoring_query(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    def broken(thing: str) -> None:
        raise RuntimeError("a bug, as one might ship")

    app.add_api_route("/api/broken/{thing}", broken)

    response = client.get("/api/broken/1")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    errors_last_hour = db.scalar(
        text(
            "SELECT count(*) FROM activity_log WHERE action LIKE '%error%' "
            "AND created_at > now() - interval '1 hour'"
        )
    )
    assert errors_last_hour == 1
    [row] = activity(db, "server.error")
    assert row.details == {"method": "GET", "route": "/api/broken/{thing}", "error": "RuntimeError"}
    assert row.client_address == "testclient"
