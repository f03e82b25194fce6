"""Factories for rows the tests need, made through the real services where one exists."""

import itertools
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, SetAsset, User
from server.services import catalogue

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


def make_artist(db: Session, name: str = "Artist") -> User:
    """An artist account made directly: the catalogue's own routes are tested elsewhere."""
    user = User(
        email=unique_email("artist"),
        password_hash=None,
        display_name=name,
        role="artist",
        artist_name=f"{name} Studio",
    )
    db.add(user)
    db.commit()
    return user


def make_asset(
    db: Session,
    artist: User,
    name: str = "Ruined wall",
    *,
    status: str = "published",
    category: str = "ruins",
    tags: list[str] | None = None,
    price: str = "4.50",
    description: str | None = None,
    published_at: datetime | None = None,
) -> Asset:
    asset = Asset(
        artist_id=artist.id,
        name=name,
        description=description or f"A {name.lower()} for 28 mm games",
        category=category,
        tags=tags or [category],
        base_price=Decimal(price),
        status=status,
        dimensions_mm={"x": 50, "y": 25, "z": 40},
        poly_count=1200,
        published_at=published_at or (datetime.now(UTC) if status == "published" else None),
    )
    catalogue.refresh_search_document(asset, artist)
    db.add(asset)
    db.commit()
    return asset


def make_set(db: Session, curator: User, assets: list[Asset], name: str = "Ruins set") -> AssetSet:
    asset_set = AssetSet(curator_id=curator.id, name=name)
    db.add(asset_set)
    db.flush()
    for position, asset in enumerate(assets):
        db.add(SetAsset(set_id=asset_set.id, asset_id=asset.id, position=position))
    db.commit()
    return asset_set


def register_artist(client: TestClient, db: Session, **extra: Any) -> dict[str, Any]:
    """A signed-in artist: registered through the API, then given the artist role."""
    body = register(client, **extra)
    user = db.get(User, uuid.UUID(body["user"]["id"]))
    assert user is not None
    user.role = "artist"
    user.artist_name = f"{user.display_name} Studio"
    db.commit()
    return body
