"""A write whose answer is lost on the way back: the desktop's real API client, a proxy that
closes the connection after the real server answered, the server on real PostgreSQL and the
real `stripe` library talking to the stand-in.

An order is retried with the click's one `Idempotency-Key` and made once; a registration,
which cannot be repeated safely, is not repeated at all.
"""

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
from tests.server.payments.support import onboarded_artist, payment_settings, priced_asset
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
