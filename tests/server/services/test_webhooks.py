"""Stripe's webhook: verified signatures, each event once, status only forward, payouts."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Job, Order, Payment, WebhookEvent
from server.settings import Settings
from tests.server.factories import bearer, make_artist, register
from tests.server.services.support import (
    WEBHOOK_SECRET,
    Mailbox,
    buy,
    onboarded_artist,
    order_status,
    pay,
    priced_asset,
    run_worker,
)
from tests.stripe_standin import StripeStandin, deliver_event, signature_header


def _count(db: Session, model: type, *conditions: object) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)  # type: ignore[arg-type]


def _two_artist_order(
    client: TestClient, db: Session, standin: StripeStandin
) -> tuple[dict[str, str], dict[str, object]]:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    tower = priced_asset(db, onboarded_artist(db, standin, "Ben"), "Tower", "12.99")
    headers = bearer(register(client)["token"])
    return headers, buy(client, headers, [(wall, 2), (tower, 1)])


def test_a_bad_signature_is_refused_and_changes_nothing(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    event = standin.complete_checkout(standin.session_for_order(order["order_id"])["id"])

    wrong_secret = deliver_event("http://testserver", event, "whsec_someone_else", client=client)
    unsigned = client.post("/api/webhooks/stripe", json=event)
    stale = deliver_event(
        "http://testserver", event, WEBHOOK_SECRET, timestamp=int(time.time()) - 3600, client=client
    )
    body = b'{"id": "evt_x", "type": "checkout.session.completed"}'
    tampered = client.post(
        "/api/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": signature_header(body + b" ", WEBHOOK_SECRET)},
    )

    for response in (wrong_secret, unsigned, stale, tampered):
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "invalid_signature"
    assert order_status(client, headers, str(order["order_id"])) == "pending"
    assert _count(db, WebhookEvent) == 0 and _count(db, Job) == 0 and _count(db, Payment) == 0


def test_fifty_deliveries_some_concurrent_pay_once_and_transfer_once_per_line(
    live_server: str, client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    event = standin.complete_checkout(standin.session_for_order(order["order_id"])["id"])

    with httpx.Client(timeout=30) as http:
        first = [deliver_event(live_server, event, WEBHOOK_SECRET, client=http) for _ in range(5)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            rest = list(
                pool.map(
                    lambda _: deliver_event(live_server, event, WEBHOOK_SECRET, client=http),
                    range(45),
                )
            )
    responses = first + rest
    assert [r.status_code for r in responses] == [200] * 50
    assert sum(r.json()["handled"] for r in responses) == 1

    run_worker(settings)
    run_worker(settings)  # a second run finds nothing more to do

    assert order_status(client, headers, str(order["order_id"])) == "paid"
    assert _count(db, Payment, Payment.payment_method == "card") == 1
    transfers = standin.transfers()
    assert sorted(t["amount"] for t in transfers) == [630, 909]  # 70 % of 9.00 and of 12.99
    assert {t["transfer_group"] for t in transfers} == {order["order_number"]}
    recorded = db.scalars(select(Payment).where(Payment.payment_method == "stripe_transfer")).all()
    assert sorted(p.stripe_transfer_id for p in recorded) == sorted(t["id"] for t in transfers)


def test_expired_after_completed_does_not_move_the_order_back(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    session_id = standin.session_for_order(order["order_id"])["id"]
    pay(client, standin, str(order["order_id"]))

    late = standin.expire_checkout(session_id)
    response = deliver_event("http://testserver", late, WEBHOOK_SECRET, client=client)

    assert response.status_code == 200
    assert order_status(client, headers, str(order["order_id"])) == "paid"


def test_an_expired_checkout_cancels_a_pending_order(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    expired = standin.expire_checkout(standin.session_for_order(order["order_id"])["id"])

    deliver_event("http://testserver", expired, WEBHOOK_SECRET, client=client)

    assert order_status(client, headers, str(order["order_id"])) == "cancelled"
    assert _count(db, Job) == 0


def test_stripe_failing_at_first_is_retried_with_exactly_one_transfer(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(wall, 1)])
    pay(client, standin, str(order["order_id"]))
    standin.fail_next("/v1/transfers", 2)  # two answers of 500
    standin.fail_next("/v1/transfers", 1, mode="timeout", delay_s=1.5)  # done, answer lost

    for _ in range(6):
        run_worker(settings)

    transfer_calls = [c for c in standin.calls if c[:2] == ("POST", "/v1/transfers")]
    assert len(transfer_calls) == 4  # 500, 500, timeout (made), replay of the timed-out one
    assert len({key for _, _, key in transfer_calls}) == 1
    assert len(standin.transfers()) == 1
    assert _count(db, Payment, Payment.payment_method == "stripe_transfer") == 1


def test_a_refund_records_it_and_reverses_the_transfers(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    pay(client, standin, str(order["order_id"]))
    run_worker(settings)
    intent = db.scalar(select(Order.payment_intent_id).where(Order.id == order["order_id"]))
    assert intent is not None

    refunded = standin.refund(intent)
    deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)
    deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)  # a repeat
    run_worker(settings)

    assert order_status(client, headers, str(order["order_id"])) == "refunded"
    assert _count(db, Payment, Payment.payment_method == "refund") == 1
    reversals = standin.reversals()
    assert sorted(r["amount"] for r in reversals) == [630, 909]
    assert all(t["reversed"] for t in standin.transfers())
    assert _count(db, Payment, Payment.payment_method == "transfer_reversal") == 2


def test_the_confirmation_email_arrives_once(
    client: TestClient,
    db: Session,
    standin: StripeStandin,
    settings: Settings,
    mailbox: tuple[Mailbox, int],
) -> None:
    buyer = register(client)
    headers = bearer(buyer["token"])
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    order = buy(client, headers, [(wall, 3)])
    event = pay(client, standin, str(order["order_id"]))
    deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)

    run_worker(settings)
    run_worker(settings)

    box = mailbox[0]
    assert len(box.messages) == 1
    message = box.messages[0]
    assert message["To"] == buyer["user"]["email"]
    assert str(order["order_number"]) in message["Subject"]
    text = message.get_payload()
    assert "3 x Wall" in str(text) and "Total:    19.50 USD" in str(text)


def test_payouts_wait_for_an_artist_to_finish_onboarding(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    artist = make_artist(db, "Newcomer")
    account = standin.state.create_account({"email": artist.email})
    artist.stripe_account_id = account["id"]
    db.commit()
    wall = priced_asset(db, artist, "Wall", "10.00")
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(wall, 1)])
    pay(client, standin, str(order["order_id"]))

    run_worker(settings)
    assert standin.transfers() == []
    waiting = db.scalar(select(Job).where(Job.kind == "payout"))
    assert waiting is not None and waiting.status == "pending" and waiting.attempts == 0

    onboarded = standin.finish_onboarding(account["id"])
    deliver_event("http://testserver", onboarded, WEBHOOK_SECRET, client=client)
    run_worker(settings)

    assert [t["amount"] for t in standin.transfers()] == [700]


def test_signed_but_malformed_or_unknown_events_are_handled_safely(client: TestClient) -> None:
    def send(body: bytes) -> httpx.Response:
        headers = {"Stripe-Signature": signature_header(body, WEBHOOK_SECRET)}
        return client.post("/api/webhooks/stripe", content=body, headers=headers)

    assert send(b"not json").status_code == 400
    assert send(b'["a list"]').json()["code"] == "validation_error"
    assert send(b'{"id": "evt_1", "type": "x"}').status_code == 400
    unknown = b'{"id": "evt_2", "type": "invoice.created", "data": {"object": {}}}'
    assert send(unknown).json() == {"handled": True}
    assert send(unknown).json() == {"handled": False}
    odd = b'{"id": "evt_3", "type": "checkout.session.completed", "data": {"object": {}}}'
    assert send(odd).json() == {"handled": True}


def test_a_delayed_payment_pays_the_order_when_it_settles(
    client: TestClient, db: Session, standin: StripeStandin
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    session_id = standin.session_for_order(order["order_id"])["id"]

    started = standin.complete_checkout(session_id, async_payment=True)
    deliver_event("http://testserver", started, WEBHOOK_SECRET, client=client)
    assert order_status(client, headers, str(order["order_id"])) == "pending"
    assert _count(db, Job) == 0

    settled = standin.settle_async_payment(session_id)
    deliver_event("http://testserver", settled, WEBHOOK_SECRET, client=client)

    assert order_status(client, headers, str(order["order_id"])) == "paid"
    shipping = client.get(f"/api/orders/{order['order_id']}", headers=headers).json()["order"]
    assert shipping["shipping"]["city"] == "Springfield"
    assert _count(db, Job, Job.kind == "payout") == 2


def test_a_partial_refund_reverses_each_artists_share(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    headers, order = _two_artist_order(client, db, standin)  # total 27.99
    pay(client, standin, str(order["order_id"]))
    run_worker(settings)
    intent = db.scalar(select(Order.payment_intent_id).where(Order.id == order["order_id"]))
    assert intent is not None

    deliver_event("http://testserver", standin.refund(intent, 1000), WEBHOOK_SECRET, client=client)
    run_worker(settings)

    assert order_status(client, headers, str(order["order_id"])) == "partially_refunded"
    # Each line's payout × 10.00 / 27.99: 6.30 → 2.25, 9.09 → 3.25.
    assert sorted(r["amount"] for r in standin.reversals()) == [225, 325]


def test_a_refund_delivered_before_the_payment_is_asked_for_again(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    headers, order = _two_artist_order(client, db, standin)
    completed = standin.complete_checkout(standin.session_for_order(order["order_id"])["id"])
    intent = completed["data"]["object"]["payment_intent"]
    refunded = standin.refund(intent)

    early = deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)
    assert early.status_code == 409 and _count(db, WebhookEvent) == 0
    deliver_event("http://testserver", completed, WEBHOOK_SECRET, client=client)
    again = deliver_event("http://testserver", refunded, WEBHOOK_SECRET, client=client)
    run_worker(settings)

    assert again.json() == {"handled": True}
    assert order_status(client, headers, str(order["order_id"])) == "refunded"
    assert standin.transfers() == []  # refunded in full before any payout was sent


def test_workers_side_by_side_send_each_transfer_once(
    client: TestClient, db: Session, standin: StripeStandin, settings: Settings
) -> None:
    artists = [onboarded_artist(db, standin, f"Artist {n}") for n in range(6)]
    pieces = [priced_asset(db, a, f"Piece {n}", "3.00") for n, a in enumerate(artists)]
    headers = bearer(register(client)["token"])
    order = buy(client, headers, [(piece, 1) for piece in pieces])
    pay(client, standin, str(order["order_id"]))

    with ThreadPoolExecutor(max_workers=3) as pool:
        ran = sum(pool.map(lambda _: run_worker(settings), range(3)))

    assert ran == 7  # six payouts and the e-mail, each run by exactly one worker
    assert sorted(t["destination"] for t in standin.transfers()) == sorted(
        str(a.stripe_account_id) for a in artists
    )
    assert _count(db, Payment, Payment.payment_method == "stripe_transfer") == 6
