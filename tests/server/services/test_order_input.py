"""What `POST /api/orders` refuses: quantities that are not JSON integers, and an artist
buying their own asset. Each refusal is a clear 4xx and leaves no order and no Checkout."""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Order, User
from tests.server.factories import bearer, register, register_artist
from tests.server.services.support import onboarded_artist, priced_asset
from tests.stripe_standin import StripeStandin


def no_order_was_made(db: Session, standin: StripeStandin) -> bool:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Order)) == 0 and standin.sessions() == []


def test_a_quantity_must_be_a_json_integer(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    headers = bearer(register(client)["token"])

    for quantity in ("2", True, 2.0, "1e1", None):
        items = [{"asset_id": str(wall.id), "quantity": quantity}]
        answer = client.post("/api/orders", json={"items": items}, headers=headers)
        assert answer.status_code == 422, (quantity, answer.text)
        body = answer.json()
        assert body["code"] == "validation_error"
        assert any(d["path"].endswith("quantity") for d in body["details"]), body

    assert no_order_was_made(db, standin)
    items = [{"asset_id": str(wall.id), "quantity": 2}]
    assert client.post("/api/orders", json={"items": items}, headers=headers).status_code == 201


def test_an_artist_cannot_buy_their_own_asset(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    me = register_artist(client, db)
    artist = db.get(User, uuid.UUID(me["user"]["id"]))
    assert artist is not None
    mine = priced_asset(db, artist, "My tower", "6.00")
    theirs = priced_asset(db, onboarded_artist(db, standin, "Ben"), "Their wall", "4.50")
    headers = bearer(me["token"])

    answer = client.post(
        "/api/orders",
        json={
            "items": [
                {"asset_id": str(theirs.id), "quantity": 1},
                {"asset_id": str(mine.id), "quantity": 3},
            ]
        },
        headers=headers,
    )

    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "own_asset"
    assert str(mine.id) in answer.json()["error"]
    assert no_order_was_made(db, standin)
    # Buying someone else's asset alone still works.
    items = [{"asset_id": str(theirs.id), "quantity": 1}]
    assert client.post("/api/orders", json={"items": items}, headers=headers).status_code == 201
