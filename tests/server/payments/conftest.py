"""Payments tests: the real `stripe` library pointed at the local stand-in, a local SMTP
server for e-mail, the app on the run's PostgreSQL, and the real worker loop."""

import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import User
from server.jobs import registry, runner
from server.settings import Settings
from tests.server.factories import make_artist, make_asset
from tests.stripe_standin import StripeStandin, deliver_event

WEBHOOK_SECRET = "whsec_test_terrain"


@dataclass
class Mailbox:
    """Messages the local SMTP server accepted."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        with self.lock:
            self.messages.append(message_from_bytes(content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def standin() -> Iterator[StripeStandin]:
    with StripeStandin.running() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, standin: StripeStandin, mailbox: tuple[Mailbox, int]) -> Settings:
    return settings.model_copy(
        update={
            "stripe_api_base": standin.url,
            "stripe_secret_key": "sk_test_terrain",
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_timeout_seconds": 1.0,
            "payment_retry_backoff_seconds": 0.0,
            "smtp_port": mailbox[1],
        }
    )


def run_worker(settings: Settings) -> int:
    """`terrain-server worker --once`: every due job, in this process."""
    return runner.run(registry.worker_context(settings), registry.job_kinds(settings), once=True)


def onboarded_artist(db: Session, standin: StripeStandin, name: str, rate: str = "0.70") -> User:
    artist = make_artist(db, name)
    account = standin.state.create_account({"email": artist.email})
    standin.finish_onboarding(account["id"])
    artist.stripe_account_id = account["id"]
    artist.stripe_onboarding_complete = True
    from decimal import Decimal

    artist.commission_rate = Decimal(rate)
    db.commit()
    return artist


def priced_asset(db: Session, artist: User, name: str, price: str) -> Any:
    asset = make_asset(db, artist, name, price=price)
    asset.file_ref = None
    db.commit()
    return asset


def buy(
    client: TestClient, headers: dict[str, str], lines: list[tuple[Any, int]], **extra: Any
) -> dict[str, Any]:
    items = [{"model_id": str(asset.id), "quantity": quantity} for asset, quantity in lines]
    response = client.post("/api/orders", json={"items": items, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def pay(client: TestClient, standin: StripeStandin, order_id: str) -> dict[str, Any]:
    """The buyer pays on "Stripe" and Stripe tells the server; returns the event."""
    session = standin.session_for_order(order_id)
    event = standin.complete_checkout(session["id"])
    response = deliver_event("http://testserver", event, WEBHOOK_SECRET, client=client)
    assert response.status_code == 200, response.text
    return event


def order_status(client: TestClient, headers: dict[str, str], order_id: str) -> str:
    response = client.get(f"/api/orders/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    status: str = response.json()["order"]["status"]
    return status


def new_id() -> str:
    return str(uuid.uuid4())
