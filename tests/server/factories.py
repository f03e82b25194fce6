"""Factories for rows the tests need, made through the real services where one exists."""

import itertools
from typing import Any

from fastapi.testclient import TestClient

_counter = itertools.count(1)

DEFAULT_PASSWORD = "correct horse battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


def register(
    client: TestClient,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Register through the API and return its JSON (user, token, ...)."""
    response = client.post(
        "/api/auth/register",
        json={"email": email or unique_email(), "password": password, **extra},
        headers=headers or {},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_session(client: TestClient) -> str:
    response = client.post("/api/sessions")
    assert response.status_code == 201, response.text
    session_id: str = response.json()["session"]["id"]
    return session_id
