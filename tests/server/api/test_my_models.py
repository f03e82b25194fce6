"""`GET /api/artists/me/models`: an artist's own models in every state, with copies sold."""

import uuid
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, Order, OrderItem, User
from tests.server.api.test_auth import assert_error
from tests.server.factories import bearer, make_artist, make_asset, register, register_artist


def sell(db: Session, asset: Asset, quantity: int, status: str) -> None:
    """An order of `quantity` copies of `asset` in `status`, as the orders service records it."""
    order = Order(
        order_number=f"TB-{uuid.uuid4().hex[:10]}",
        customer_email="buyer@example.com",
        status=status,
        subtotal=asset.base_price * quantity,
        total=asset.base_price * quantity,
    )
    db.add(order)
    db.flush()
    db.add(
        OrderItem(
            order_id=order.id,
            asset_id=asset.id,
            quantity=quantity,
            unit_price=asset.base_price,
            subtotal=asset.base_price * quantity,
            artist_id=asset.artist_id,
        )
    )
    db.commit()


def test_my_models_lists_drafts_and_published_with_paid_sales(
    client: TestClient, db: Session
) -> None:
    body = register_artist(client, db)
    me = db.get(User, uuid.UUID(body["user"]["id"]))
    assert me is not None
    published = make_asset(db, me, "Ruined tower")
    draft = make_asset(db, me, "Half-done wall", status="draft")
    make_asset(db, me, "Old hill", status="archived")
    make_asset(db, make_artist(db, "Someone else"), "Their barrel")
    sell(db, published, 2, "paid")
    sell(db, published, 1, "fulfilled")
    sell(db, published, 5, "pending")  # not paid: not a sale
    sell(db, published, 4, "refunded")

    response = client.get("/api/artists/me/models", headers=bearer(body["token"]))

    assert response.status_code == 200, response.text
    models = {m["name"]: m for m in response.json()["models"]}
    assert set(models) == {"Ruined tower", "Half-done wall"}
    assert models["Ruined tower"]["paid_sales"] == 3
    assert models["Half-done wall"]["paid_sales"] == 0
    assert models["Half-done wall"]["status"] == "draft"
    assert models["Half-done wall"]["id"] == str(draft.id)
    assert Decimal(models["Ruined tower"]["base_price"]) == Decimal("4.50")
    assert {"view_count", "use_count", "processing_state"} <= set(models["Ruined tower"])


def test_my_models_needs_an_artist(client: TestClient) -> None:
    customer = register(client)["token"]

    assert_error(client.get("/api/artists/me/models"), 401, "auth_required")
    assert_error(
        client.get("/api/artists/me/models", headers=bearer(customer)), 403, "artist_required"
    )


def test_an_upload_carries_its_licence_which_the_artist_can_change(
    client: TestClient, db: Session
) -> None:
    from tests.meshes import samples
    from tests.server.api.test_asset_uploads import upload

    token = register_artist(client, db)["token"]
    data = samples.export(samples.hill(), "stl")

    refused = upload(client, token, "hill.stl", data, licence="do-what-you-like")
    answer = upload(client, token, "hill.stl", data, licence="cc-by-4.0", category="hills")

    assert_error(refused, 422, "validation_error")
    assert answer.status_code == 202, answer.text
    asset = answer.json()["asset"]
    assert asset["licence"] == "cc-by-4.0"
    path = f"/api/library/assets/{asset['id']}"
    changed = client.patch(path, json={"licence": "commercial-prints"}, headers=bearer(token))
    assert changed.json()["asset"]["licence"] == "commercial-prints"
    assert_error(
        client.patch(path, json={"licence": None}, headers=bearer(token)), 422, "validation_error"
    )
    assert_error(
        client.patch(path, json={"licence": "mine"}, headers=bearer(token)), 422, "validation_error"
    )
    [mine] = client.get("/api/artists/me/models", headers=bearer(token)).json()["models"]
    assert mine["licence"] == "commercial-prints"
    default = upload(client, token, "other.stl", samples.export(samples.hill(30.0), "stl"))
    assert default.json()["asset"]["licence"] == "personal-use"
