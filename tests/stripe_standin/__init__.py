"""A stateful local stand-in for the parts of Stripe's API that Terrain Builder calls.

Stripe cannot be reached from test machines, so the real `stripe` library is pointed at this
service (`STRIPE_API_BASE` / `Settings.stripe_api_base`). It implements Checkout Sessions
(payment and subscription mode), Transfers (idempotency-key replay, `transfer_group`),
transfer reversals, refunds, Connect accounts and account links, and fails on demand.

Typical use in a test::

    with StripeStandin.running() as standin:
        settings = Settings(..., stripe_api_base=standin.url, stripe_secret_key=standin.api_key,
                            stripe_webhook_secret=SECRET)
        ...                                          # the app creates an order: a session
        session_id = standin.session_for_order(order_id)["id"]
        event = standin.complete_checkout(session_id)   # the buyer pays on "Stripe"
        deliver_event(server_url, event, SECRET)        # signed webhook, real scheme
        standin.fail_next("/v1/transfers", 2)           # the next two transfers fail (500)
        standin.fail_next("/v1/transfers", 1, mode="timeout", delay_s=1.0)

Functions:

- `StripeStandin.running(port=0, api_key=STANDIN_KEY)` — context manager: serves on
  127.0.0.1, yields the stand-in. Only calls with `api_key` are answered (others: Stripe's 401).
- `standin.url`, `standin.api_key` — for `stripe_api_base` and `stripe_secret_key`.
- `standin.complete_checkout(session_id, shipping=None, email=None, async_payment=False)`
  → `checkout.session.completed` event (payment: creates PaymentIntent + Charge; subscription:
  Customer + Subscription).
- `standin.settle_async_payment(session_id, ok=True)` → `checkout.session.async_payment_*`.
- `standin.expire_checkout(session_id)` → `checkout.session.expired`.
- `standin.refund(payment_intent_id, amount=None)` → `charge.refunded` (amount in cents).
- `standin.finish_onboarding(account_id)` → `account.updated` (charges enabled).
- `standin.cancel_subscription(subscription_id)` → `customer.subscription.deleted`.
- `standin.session_for_order(order_id)`, `standin.sessions()`, `standin.transfers()`,
  `standin.reversals()`, `standin.accounts()`, `standin.calls` — what Stripe now holds.
- `standin.fail_next(path_prefix, count, mode="error" | "timeout", delay_s=2.0)`.
- `standin.state.observers.append(fn)` — `fn(method, path)` runs as each call arrives.
- `deliver_event(server_url, event, secret, *, timestamp=None, signature=None)` → the
  `httpx.Response` of `POST {server_url}/api/webhooks/stripe` with the body signed as Stripe
  signs it (`Stripe-Signature: t=…,v1=HMAC-SHA256`). `signed_delivery(event, secret)` gives
  the raw body and headers instead, for a client of your own.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.stripe_standin import actions, web
from tests.stripe_standin.signing import signature_header
from tests.stripe_standin.state import STANDIN_KEY, Failure, StandinState

WEBHOOK_PATH = "/api/webhooks/stripe"

__all__ = [
    "STANDIN_KEY",
    "StripeStandin",
    "deliver_event",
    "signature_header",
    "signed_delivery",
]


class StripeStandin:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, api_key: str = STANDIN_KEY) -> None:
        self.state = StandinState(api_key=api_key)
        self.api_key = api_key
        self._server = web.serve_in_thread(self.state, host, port)
        bound_host, bound_port = self._server.server_address[:2]
        self.url = f"http://{bound_host!s}:{bound_port}"

    @classmethod
    @contextmanager
    def running(cls, port: int = 0, api_key: str = STANDIN_KEY) -> Iterator["StripeStandin"]:
        standin = cls(port=port, api_key=api_key)
        try:
            yield standin
        finally:
            standin.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- Stripe-side happenings, each returning the webhook event ---------------------------

    def complete_checkout(
        self,
        session_id: str,
        *,
        shipping: dict[str, Any] | None = None,
        email: str | None = None,
        async_payment: bool = False,
    ) -> dict[str, Any]:
        return actions.complete_checkout(
            self.state, session_id, shipping=shipping, email=email, async_payment=async_payment
        )

    def settle_async_payment(self, session_id: str, *, ok: bool = True) -> dict[str, Any]:
        return actions.settle_async_payment(self.state, session_id, ok=ok)

    def expire_checkout(self, session_id: str) -> dict[str, Any]:
        return actions.expire_checkout(self.state, session_id)

    def refund(self, payment_intent_id: str, amount: int | None = None) -> dict[str, Any]:
        return actions.refund(self.state, payment_intent_id, amount)

    def finish_onboarding(self, account_id: str) -> dict[str, Any]:
        return actions.finish_onboarding(self.state, account_id)

    def cancel_subscription(self, subscription_id: str) -> dict[str, Any]:
        return actions.cancel_subscription(self.state, subscription_id)

    # -- what Stripe holds ------------------------------------------------------------------

    def sessions(self) -> list[dict[str, Any]]:
        return self.state.of_kind("checkout.session")

    def session_for_order(self, order_id: object) -> dict[str, Any]:
        found = [s for s in self.sessions() if s["metadata"].get("order_id") == str(order_id)]
        assert len(found) == 1, f"expected one Checkout Session for order {order_id}: {found}"
        return found[0]

    def transfers(self) -> list[dict[str, Any]]:
        return self.state.of_kind("transfer")

    def reversals(self) -> list[dict[str, Any]]:
        return self.state.of_kind("transfer_reversal")

    def accounts(self) -> list[dict[str, Any]]:
        return self.state.of_kind("account")

    @property
    def calls(self) -> list[tuple[str, str, str | None]]:
        with self.state.lock:
            return list(self.state.calls)

    def fail_next(
        self, path_prefix: str, count: int, mode: str = "error", delay_s: float = 2.0
    ) -> None:
        with self.state.lock:
            self.state.failures.append(Failure(path_prefix, count, mode, delay_s))


def signed_delivery(
    event: dict[str, Any], secret: str, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Stripe would send for `event`."""
    body = json.dumps(event).encode()
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signature_header(body, secret, timestamp),
    }
    return body, headers


def deliver_event(
    server_url: str,
    event: dict[str, Any],
    secret: str,
    *,
    timestamp: int | None = None,
    signature: str | None = None,
    client: httpx.Client | None = None,
) -> httpx.Response:
    """POST `event` to the server's webhook, signed with `secret` (or the given `signature`)."""
    body, headers = signed_delivery(event, secret, timestamp)
    if signature is not None:
        headers["Stripe-Signature"] = signature
    url = server_url.rstrip("/") + WEBHOOK_PATH
    if client is not None:
        return client.post(url, content=body, headers=headers)
    return httpx.post(url, content=body, headers=headers, timeout=30)
