"""Payments fail closed: no Stripe secrets, no payments (503), and `/ready` says so; the key is
tried at start-up against the stand-in and its answer shown by `/ready`."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.db.models import Order, Payment, WebhookEvent
from server.settings import Settings
from tests.conftest import UNLIMITED
from tests.server.factories import bearer, register, register_artist
from tests.server.services.support import (
    WEBHOOK_SECRET,
    buy,
    onboarded_artist,
    order_status,
    priced_asset,
)
from tests.stripe_standin import StripeStandin, deliver_event


@contextmanager
def server(settings: Settings) -> Iterator[TestClient]:
    """Another process of the same site (same database), started with `settings`."""
    with TestClient(create_app(settings, ManualClock()), raise_server_exceptions=False) as app:
        yield app


def unconfigured(settings: Settings) -> Settings:
    """What an operator gets who sets no Stripe variable at all."""
    return Settings(
        database_url=settings.database_url, storage_dir=settings.storage_dir, **UNLIMITED
    )


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_webhook_signed_with_the_old_public_default_is_refused_when_no_secret_is_set(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "6.25")
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(wall, 1)])
    forged = standin.complete_checkout(standin.session_for_order(order["order_id"])["id"])

    with server(unconfigured(settings)) as bare:
        response = deliver_event("http://testserver", forged, "whsec_unset", client=bare)

    assert response.status_code == 503, response.text
    assert response.json()["code"] == "payments_not_configured"
    assert order_status(client, headers, str(order["order_id"])) == "pending"
    assert _count(db, WebhookEvent) == 0 and _count(db, Payment) == 0


def test_without_keys_no_payment_route_changes_anything(
    db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "24.99")

    with server(unconfigured(settings)) as bare:
        buyer = bearer(register(bare)["token"])
        artist = bearer(register_artist(bare, db)["token"])
        items = {"items": [{"asset_id": str(wall.id), "quantity": 1}]}
        answers = [
            bare.post("/api/orders", json=items, headers=buyer),
            bare.post("/api/artists/me/stripe/onboard", headers=artist),
            bare.post("/api/account/pro/checkout", headers=buyer),
            bare.post("/api/webhooks/stripe", json={"id": "evt_1"}),
        ]
        catalogue = bare.get("/api/library/assets")

    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.json()["code"] == "payments_not_configured"
    assert _count(db, Order) == 0 and _count(db, WebhookEvent) == 0
    assert standin.calls == []  # Stripe was never asked
    assert catalogue.status_code == 200  # everything else still works


def test_ready_says_payments_are_not_configured_but_stays_ready(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As compose passes them when the operator set nothing: present but empty.
    monkeypatch.setenv("STRIPE_SECRET_KEY", "")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", " ")
    with server(unconfigured(settings)) as bare:
        response = bare.get("/ready")
        order = bare.post("/api/orders", json={"items": []})

    assert order.status_code == 503 and order.json()["code"] == "payments_not_configured"

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["payments"] == "not_configured"
    assert "STRIPE_SECRET_KEY" in body["payments_detail"]


def test_the_key_is_tried_at_start_up_and_ready_reports_it(
    client: TestClient, standin: StripeStandin
) -> None:
    tried = [call for call in standin.calls if call[:2] == ("GET", "/v1/balance")]
    assert len(tried) == 1  # at start-up, before any request

    body = client.get("/ready").json()

    assert body["payments"] == "ok" and standin.url in body["payments_detail"]


def test_a_key_stripe_refuses_is_reported_and_orders_are_refused_before_anything_is_written(
    db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "24.99")
    wrong = settings.model_copy(update={"stripe_secret_key": "sk_test_revoked_long_ago"})

    with server(wrong) as app:
        ready = app.get("/ready")
        buyer = bearer(register(app)["token"])
        items = {"items": [{"asset_id": str(wall.id), "quantity": 1}]}
        refused = app.post("/api/orders", json=items, headers=buyer)
        unknown = standin.finish_onboarding(standin.accounts()[0]["id"])
        webhook = deliver_event("http://testserver", unknown, WEBHOOK_SECRET, client=app)

    assert ready.status_code == 200 and ready.json()["payments"] == "invalid_key"
    assert refused.status_code == 503 and refused.json()["code"] == "payments_not_configured"
    assert _count(db, Order) == 0 and standin.sessions() == []
    assert webhook.status_code == 200  # events Stripe signed are still recorded


def test_a_stripe_that_never_answers_holds_start_up_only_for_the_timeout(
    settings: Settings,
) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"http://127.0.0.1:{silent.getsockname()[1]}"
        assert settings.stripe_timeout_seconds == 1.0
        with server(settings.model_copy(update={"stripe_api_base": address})) as app:
            body = app.get("/ready").json()

    assert body["status"] == "ready" and body["payments"] == "unreachable"
    assert "did not answer" in body["payments_detail"]
