"""Validly signed webhook bodies that no Stripe event looks like answer 4xx (or are handled
with nothing changed), never 500: Stripe would deliver a 500 again for days."""

import json
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Job, Payment, WebhookEvent
from tests.server.factories import bearer, register
from tests.server.services.support import (
    WEBHOOK_SECRET,
    buy,
    onboarded_artist,
    order_status,
    priced_asset,
)
from tests.stripe_standin import StripeStandin, signature_header


def _send(client: TestClient, body: bytes) -> httpx.Response:
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signature_header(body, WEBHOOK_SECRET),
    }
    return client.post("/api/webhooks/stripe", content=body, headers=headers)


def _answered_safely(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    body = response.json()
    assert "handled" in body or {"error", "code"} <= body.keys(), body


def _event(event_type: str, obj: dict[str, Any], event_id: str) -> bytes:
    return json.dumps({"id": event_id, "type": event_type, "data": {"object": obj}}).encode()


def test_deep_nesting_and_unpaired_surrogates_are_refused(client: TestClient, db: Session) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    deep_inside = (
        b'{"id": "evt_deep", "type": "checkout.session.completed", "data": {"object": '
        b'{"metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}"
    )
    nested_dicts = (
        b'{"id": "evt_dicts", "type": "x", "data": {"object": '
        + b'{"a": ' * 5_000
        + b"1"
        + b"}" * 5_000
        + b"}}"
    )
    surrogate_id = b'{"id": "evt_\\ud800", "type": "x", "data": {"object": {}}}'
    surrogate_inside = b'{"id": "evt_s", "type": "x", "data": {"object": {"name": "\\udfff"}}}'

    answers = [_send(client, body) for body in (deep, deep_inside, nested_dicts)]
    answers += [_send(client, body) for body in (surrogate_id, surrogate_inside)]

    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        assert {"error", "code"} <= answer.json().keys()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_fields_of_the_wrong_type_change_nothing(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "19.99")
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(wall, 1)])
    session = standin.complete_checkout(standin.session_for_order(order["order_id"])["id"])
    real = session["data"]["object"]
    odd: list[tuple[str, dict[str, Any]]] = [
        ("checkout.session.completed", dict(real, metadata=[order["order_id"]], currency=1)),
        ("checkout.session.completed", dict(real, amount_total="2499")),
        ("checkout.session.completed", dict(real, amount_total=True)),
        ("checkout.session.completed", dict(real, amount_total=10**40)),
        ("checkout.session.completed", dict(real, currency=["usd"])),
        (
            "checkout.session.completed",
            dict(real, shipping_details=["x"], metadata=None, amount_total=None),
        ),
        ("checkout.session.completed", dict(real, collected_information=[1], id=7)),
        ("checkout.session.completed", {"mode": "subscription", "metadata": ["user_id"]}),
        ("checkout.session.async_payment_succeeded", dict(real, amount_total=2499.0)),
        ("checkout.session.expired", dict(real, metadata=[], id=["cs"])),
        ("charge.refunded", {"payment_intent": real["payment_intent"], "amount_refunded": "1"}),
        ("charge.refunded", {"payment_intent": "pi_x", "metadata": ["order_id"]}),
        ("charge.refunded", {"payment_intent": "pi_y", "refunds": ["re_1"], "metadata": {}}),
        ("customer.subscription.deleted", {"id": "sub_1", "status": ["canceled"]}),
        ("account.updated", {"id": ["acct_1"], "details_submitted": "yes"}),
    ]

    for n, (event_type, obj) in enumerate(odd):
        _answered_safely(_send(client, _event(event_type, obj, f"evt_odd_{n}")))

    assert order_status(client, headers, str(order["order_id"])) == "pending"
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Payment)) == 0
    assert db.scalar(select(func.count()).select_from(Job)) == 0

    # Metadata as a list on the order's own session, amount and currency: still its payment.
    listed = _send(client, _event(session["type"], dict(real, metadata=[]), "evt_list"))
    assert listed.json() == {"handled": True}
    assert order_status(client, headers, str(order["order_id"])) == "paid"
