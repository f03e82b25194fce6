"""Orders are priced by the server from the catalogue and handed to Stripe Checkout."""

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Order, OrderItem
from tests.server.factories import bearer, make_asset, register
from tests.server.services.support import buy, onboarded_artist, priced_asset
from tests.stripe_standin import StripeStandin


def test_prices_sent_by_the_client_are_ignored(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    ana = onboarded_artist(db, standin, "Ana", rate="0.70")
    ben = onboarded_artist(db, standin, "Ben", rate="0.6000")
    wall = priced_asset(db, ana, "Wall", "4.50")
    tower = priced_asset(db, ben, "Tower", "12.99")
    headers = bearer(register(client)["token"])

    response = client.post(
        "/api/orders",
        json={
            "items": [
                {"asset_id": str(wall.id), "quantity": 2, "unit_price": "0.01"},
                {"asset_id": str(tower.id), "quantity": 1, "unit_price": "0.00"},
            ]
        },
        headers=headers,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["checkout_url"].startswith("https://") and body["order_number"].startswith("TB-")
    order = client.get(f"/api/orders/{body['order_id']}", headers=headers).json()["order"]
    lines = {line["name"]: line for line in order["lines"]}
    assert (lines["Wall"]["unit_price"], lines["Wall"]["subtotal"]) == ("4.50", "9.00")
    assert (lines["Tower"]["unit_price"], lines["Tower"]["subtotal"]) == ("12.99", "12.99")
    # Shipping: 5.00 flat + 0.50 for each piece after the first (3 pieces); no tax by default.
    assert (order["subtotal"], order["shipping_cost"], order["tax"]) == ("21.99", "6.00", "0.00")
    assert order["total"] == "27.99" and order["status"] == "pending"
    shares = {
        i.artist_id: i.artist_commission_amount
        for i in db.scalars(select(OrderItem).where(OrderItem.order_id == body["order_id"]))
    }
    assert shares == {ana.id: Decimal("6.30"), ben.id: Decimal("7.79")}
    session = standin.session_for_order(body["order_id"])
    assert session["amount_total"] == 2799 and session["url"] == body["checkout_url"]
    assert session["payment_intent_data"]["transfer_group"] == body["order_number"]
    assert "US" in session["shipping_address_collection"]["allowed_countries"]


def test_free_private_and_unpublished_models_cannot_be_bought(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    ana = onboarded_artist(db, standin, "Ana")
    free = priced_asset(db, ana, "Free rock", "0")
    draft = make_asset(db, ana, "Draft", status="draft", price="3.00")
    private = priced_asset(db, ana, "Private", "3.00")
    private.visibility = "private"
    db.commit()
    headers = bearer(register(client)["token"])

    def order(asset_id: object) -> tuple[int, str]:
        items = [{"asset_id": str(asset_id), "quantity": 1}]
        response = client.post("/api/orders", json={"items": items}, headers=headers)
        return response.status_code, response.json()["code"]

    assert order(free.id) == (409, "not_for_sale")
    assert order(draft.id) == (404, "asset_not_found")
    assert order(private.id) == (404, "asset_not_found")
    assert order("00000000-0000-0000-0000-000000000000") == (404, "asset_not_found")
    bad = client.post("/api/orders", json={"items": []}, headers=headers)
    assert bad.status_code == 422
    too_many = client.post(
        "/api/orders",
        json={"items": [{"asset_id": str(free.id), "quantity": 101}]},
        headers=headers,
    )
    assert too_many.status_code == 422
    anonymous = client.post("/api/orders", json={"items": [{"asset_id": str(free.id)}]})
    assert anonymous.status_code == 401
    assert db.scalar(select(func.count()).select_from(Order)) == 0
    assert standin.sessions() == []


def test_other_peoples_orders_are_not_found(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    alice, bob = bearer(register(client)["token"]), bearer(register(client)["token"])
    order = buy(client, alice, [(wall, 1)])

    assert client.get(f"/api/orders/{order['order_id']}", headers=bob).status_code == 404
    assert client.get("/api/orders", headers=bob).json()["orders"] == []
    mine = client.get("/api/orders", headers=alice).json()["orders"]
    assert [o["id"] for o in mine] == [order["order_id"]]


def test_stripe_failing_cancels_the_order_and_says_so(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    headers = bearer(register(client)["token"])
    standin.fail_next("/v1/checkout/sessions", 1)

    items = [{"asset_id": str(wall.id), "quantity": 1}]
    response = client.post("/api/orders", json={"items": items}, headers=headers)

    assert response.status_code == 502 and response.json()["code"] == "payments_unavailable"
    assert [o["status"] for o in client.get("/api/orders", headers=headers).json()["orders"]] == [
        "cancelled"
    ]


def test_a_client_still_sending_model_id_is_understood_for_one_more_version(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    """Orders name assets `asset_id` now; an older desktop's `model_id` still buys the same
    thing, and answers carry both names until the next version (CHANGELOG.md)."""
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    headers = bearer(register(client)["token"])

    old = client.post(
        "/api/orders", json={"items": [{"model_id": str(wall.id), "quantity": 2}]}, headers=headers
    )

    assert old.status_code == 201, old.text
    order = client.get(f"/api/orders/{old.json()['order_id']}", headers=headers).json()["order"]
    [line] = order["lines"]
    assert line["asset_id"] == line["model_id"] == str(wall.id) and line["quantity"] == 2
    spec = client.get("/openapi.json").json()["components"]["schemas"]
    assert "asset_id" in spec["OrderLineRequest"]["properties"]
