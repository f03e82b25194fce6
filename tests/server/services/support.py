"""Helpers for payments tests (server and desktop journeys alike): a local SMTP mailbox,
artists with Connect accounts on the Stripe stand-in, orders, paying them, the worker.

`WEBHOOK_SECRET` is the secret the payments fixtures give the server; `pay` completes an
order's Checkout Session on the stand-in and delivers the signed event.
"""

import socket
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import Asset, User
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


def payment_settings(settings: Settings, standin: StripeStandin, smtp_port: int = 25) -> Settings:
    """`settings` with Stripe at the stand-in, `WEBHOOK_SECRET`, short timeouts, retries due
    at once, and e-mail to a local SMTP port."""
    return settings.model_copy(
        update={
            "stripe_api_base": standin.url,
            "stripe_secret_key": standin.api_key,
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_timeout_seconds": 1.0,
            "payment_retry_backoff_seconds": 0.0,
            "smtp_port": smtp_port,
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
    artist.commission_rate = Decimal(rate)
    db.commit()
    return artist


def priced_asset(db: Session, artist: User, name: str, price: str) -> Asset:
    asset = make_asset(db, artist, name, price=price)
    asset.file_ref = None
    db.commit()
    return asset


def buy(
    client: TestClient, headers: dict[str, str], lines: list[tuple[Any, int]], **extra: Any
) -> dict[str, Any]:
    items = [{"asset_id": str(asset.id), "quantity": quantity} for asset, quantity in lines]
    response = client.post("/api/orders", json={"items": items, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def pay(
    client: httpx.Client,
    standin: StripeStandin,
    order_id: str,
    server_url: str = "http://testserver",
) -> dict[str, Any]:
    """The buyer pays on "Stripe" and Stripe tells the server (at `server_url`, through
    `client`: a TestClient or any httpx client); returns the event."""
    session = standin.session_for_order(order_id)
    event = standin.complete_checkout(session["id"])
    response = deliver_event(server_url, event, WEBHOOK_SECRET, client=client)
    assert response.status_code == 200, response.text
    return event


def order_status(client: TestClient, headers: dict[str, str], order_id: str) -> str:
    response = client.get(f"/api/orders/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    status: str = response.json()["order"]["status"]
    return status


def new_id() -> str:
    return str(uuid.uuid4())
