"""A write whose answer is lost on the way back: the desktop's real API client, a proxy that
closes the connection after the real server answered, the server on real PostgreSQL and the
real `stripe` library talking to the stand-in.

An order is retried with the click's one `Idempotency-Key` and made once; a registration,
which cannot be repeated safely, is not repeated at all. A retry that arrives while the first
try still runs waits as the server asks, then gets the first try's order.
"""

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Order, User
from server.settings import Settings
from terrain_desktop.domain.cart import CartLine
from terrain_desktop.sync import orders_client
from terrain_desktop.sync.client import ApiClient, ApiUnavailable
from terrain_protocol import auth
from tests.integration.conftest import LiveServer, register
from tests.integration.dropping_proxy import DroppingProxy
from tests.server.services.support import onboarded_artist, payment_settings, priced_asset
from tests.stripe_standin import StripeStandin


@pytest.fixture
def standin() -> Iterator[StripeStandin]:
    with StripeStandin.running() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, standin: StripeStandin) -> Settings:
    return payment_settings(settings, standin)


def test_a_checkout_whose_answer_is_lost_makes_one_order_and_the_desktop_gets_it(
    live: LiveServer, db: Session, standin: StripeStandin
) -> None:
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    token, user_id = register(live.url)
    lost = ("POST", "/api/orders")
    with DroppingProxy.running(live.port, {lost}) as proxy:
        client = ApiClient(proxy.url, token=token, retries=3, backoff=0.01)
        made = orders_client.create_order(client, [CartLine(str(wall.id), 2)])
        client.close()

    assert proxy.dropped == [lost]  # the first answer never reached the desktop
    db.expire_all()
    orders = db.scalars(select(Order).where(Order.user_id == uuid.UUID(user_id))).all()
    assert [(o.id, o.checkout_url) for o in orders] == [(made.order_id, made.checkout_url)]
    assert orders[0].status == "pending"
    assert [s["url"] for s in standin.sessions()] == [made.checkout_url]


def test_a_registration_whose_answer_is_lost_is_not_repeated(live: LiveServer, db: Session) -> None:
    """Repeating it would answer "e-mail taken" for the account the first try made: the
    desktop says the server could not be heard, and signing in then works."""
    lost = ("POST", "/api/auth/register")
    email, password = "lost-answer@example.com", "a long enough password"
    with DroppingProxy.running(live.port, {lost}) as proxy:
        client = ApiClient(proxy.url, retries=3, backoff=0.01)
        with pytest.raises(ApiUnavailable, match="not repeated"):
            client.register(auth.RegisterRequest(email=email, password=password))
        signed_in = client.login(auth.LoginRequest(email=email, password=password))
        client.close()

    assert proxy.dropped == [lost]
    assert signed_in.user.email == email
    db.expire_all()
    assert db.scalars(select(User.email).where(User.email == email)).all() == [email]


def test_a_retry_arriving_while_the_first_try_runs_waits_then_gets_its_order(
    live: LiveServer, db: Session, standin: StripeStandin
) -> None:
    """The first try is talking to Stripe when its twin (same click, same key) arrives: the
    server answers 409 `idempotency_key_in_use` with `Retry-After: 1`; the twin waits that
    long (not its 0.01 s backoff) and then gets the same order."""
    wall = priced_asset(db, onboarded_artist(db, standin, "Ana"), "Wall", "4.50")
    token, _ = register(live.url)
    key, lines = orders_client.new_action_key(), [CartLine(str(wall.id), 1)]
    asked_to_wait, first_answered = threading.Event(), threading.Event()
    pauses: list[float] = []
    twin_got: list[object] = []

    def wait_for_the_first(seconds: float) -> None:  # the twin's sleep between its tries
        pauses.append(seconds)
        asked_to_wait.set()
        assert first_answered.wait(30)

    def twin() -> None:
        client = ApiClient(live.url, token=token, retries=2, backoff=0.01, sleep=wait_for_the_first)
        twin_got.append(orders_client.create_order(client, lines, key))
        client.close()

    twin_thread, twin_started = threading.Thread(target=twin), list[bool]()

    def start_twin(method: str, path: str) -> None:  # Stripe is being asked for the Checkout
        if (method, path) == ("POST", "/v1/checkout/sessions") and not twin_started:
            twin_started.append(True)
            twin_thread.start()
            assert asked_to_wait.wait(30)  # the twin was refused while the first runs

    standin.state.observers.append(start_twin)
    first_client = ApiClient(live.url, token=token, retries=2, backoff=0.01)
    first = orders_client.create_order(first_client, lines, key)
    first_client.close()
    first_answered.set()
    twin_thread.join(30)

    assert pauses == [1.0]
    assert twin_got == [first]
    db.expire_all()
    assert db.scalars(select(Order.id)).all() == [first.order_id]
