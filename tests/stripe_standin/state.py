"""What the stand-in remembers: Stripe objects, idempotency replays, and failures on demand.

Only the calls Terrain Builder makes are implemented, with Stripe's shapes (ids with Stripe's
prefixes, `object` names, amounts in cents). Everything is guarded by one lock: the HTTP
server is threaded and tests look at the state from their own thread.
"""

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class StripeApiError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": kind, "message": message}}


@dataclass
class Failure:
    """The next `count` calls whose path starts with `path` fail.

    `mode="error"`: answer 500 without doing anything. `mode="timeout"`: do the work, then
    answer only after `delay_s` (longer than the client waits), as a lost answer would.
    """

    path: str
    count: int
    mode: str = "error"
    delay_s: float = 2.0


#: The secret key the stand-in accepts unless it is given another; any other key gets 401,
#: as Stripe answers an unknown key.
STANDIN_KEY = "sk_test_standin"


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


@dataclass
class StandinState:
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (idempotency key, method, path) -> (status, body) of the first answer.
    replays: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    #: Every call received: (method, path, idempotency key or None), for tests to count.
    calls: list[tuple[str, str, str | None]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: Set when a person runs it (`python -m tests.stripe_standin`): Checkout and onboarding
    #: links then lead to its own pages, which tell `webhook_url` what happened.
    #: Called with (method, path) as each API call arrives, before it is handled: tests use
    #: it to look at the caller's state at that moment (e.g. open database transactions).
    observers: list[Callable[[str, str], None]] = field(default_factory=list)
    public_url: str = ""
    #: The only `Authorization: Bearer` key answered; others get Stripe's 401.
    api_key: str = STANDIN_KEY
    webhook_url: str = ""
    webhook_secret: str = ""

    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.objects[obj["id"]] = obj
        return obj

    def get(self, object_id: str, kind: str | None = None) -> dict[str, Any]:
        with self.lock:
            obj = self.objects.get(object_id)
        if obj is None or (kind is not None and obj.get("object") != kind):
            raise StripeApiError(404, f"No such {kind or 'object'}: '{object_id}'")
        return obj

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [o for o in self.objects.values() if o.get("object") == kind]

    def take_failure(self, path: str) -> Failure | None:
        with self.lock:
            for failure in self.failures:
                if path.startswith(failure.path) and failure.count > 0:
                    failure.count -= 1
                    return failure
        return None

    # -- the API calls -------------------------------------------------------------------

    def create_checkout_session(self, params: dict[str, Any]) -> dict[str, Any]:
        mode = params.get("mode", "payment")
        if mode not in ("payment", "subscription"):
            raise StripeApiError(400, f"Invalid mode: {mode}")
        items = params.get("line_items") or []
        if not items:
            raise StripeApiError(400, "line_items is required")
        amount = sum(
            int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1))
            for i in items
            if "price_data" in i
        )
        for option in params.get("shipping_options") or []:
            amount += int(option["shipping_rate_data"]["fixed_amount"]["amount"])
        session_id = new_id("cs_test")
        return self.add(
            {
                "id": session_id,
                "object": "checkout.session",
                "mode": mode,
                "status": "open",
                "payment_status": "unpaid",
                "amount_total": amount,
                "currency": items[0].get("price_data", {}).get("currency", "usd"),
                "client_reference_id": params.get("client_reference_id"),
                "customer_email": params.get("customer_email"),
                "customer": params.get("customer"),
                "metadata": params.get("metadata") or {},
                "payment_intent": None,
                "subscription": None,
                "line_items_sent": items,
                "payment_intent_data": params.get("payment_intent_data") or {},
                "subscription_data": params.get("subscription_data") or {},
                "shipping_address_collection": params.get("shipping_address_collection"),
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
                "url": f"{self.public_url}/pay/{session_id}"
                if self.public_url
                else f"https://checkout.stripe.test/c/pay/{session_id}",
                "created": int(time.time()),
            }
        )

    def create_transfer(self, params: dict[str, Any]) -> dict[str, Any]:
        destination = params.get("destination", "")
        account = self.get(destination, "account")
        if not account.get("charges_enabled"):
            raise StripeApiError(400, f"Account {destination} cannot receive transfers yet")
        amount = int(params["amount"])
        if amount <= 0:
            raise StripeApiError(400, "amount must be positive")
        return self.add(
            {
                "id": new_id("tr"),
                "object": "transfer",
                "amount": amount,
                "amount_reversed": 0,
                "currency": params.get("currency", "usd"),
                "destination": destination,
                "transfer_group": params.get("transfer_group"),
                "source_transaction": params.get("source_transaction"),
                "metadata": params.get("metadata") or {},
                "reversals": {"object": "list", "data": []},
                "reversed": False,
                "created": int(time.time()),
            }
        )

    def create_reversal(self, transfer_id: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            transfer = self.get(transfer_id, "transfer")
            left = transfer["amount"] - transfer["amount_reversed"]
            amount = int(params.get("amount", left))
            if amount <= 0 or amount > left:
                raise StripeApiError(400, f"Cannot reverse {amount}: {left} left")
            reversal = {
                "id": new_id("trr"),
                "object": "transfer_reversal",
                "amount": amount,
                "currency": transfer["currency"],
                "transfer": transfer_id,
                "metadata": params.get("metadata") or {},
                "created": int(time.time()),
            }
            transfer["amount_reversed"] += amount
            transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
            transfer["reversals"]["data"].append(reversal)
            return self.add(reversal)

    def create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            charge = self._charge_of(params)
            left = charge["amount"] - charge["amount_refunded"]
            amount = int(params.get("amount", left))
            if amount <= 0 or amount > left:
                raise StripeApiError(400, f"Cannot refund {amount}: {left} left")
            refund = {
                "id": new_id("re"),
                "object": "refund",
                "amount": amount,
                "charge": charge["id"],
                "payment_intent": charge["payment_intent"],
                "currency": charge["currency"],
                "status": "succeeded",
                "created": int(time.time()),
            }
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            charge["refunds"]["data"].append(refund)
            return self.add(refund)

    def _charge_of(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("charge"):
            return self.get(params["charge"], "charge")
        intent = self.get(params.get("payment_intent", ""), "payment_intent")
        return self.get(intent["latest_charge"], "charge")

    def balance(self) -> dict[str, Any]:
        """`GET /v1/balance`: what the server's start-up key check asks for."""
        zero = [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}]
        return {"object": "balance", "available": zero, "pending": zero, "livemode": False}

    def create_account(self, params: dict[str, Any]) -> dict[str, Any]:
        # `seed --demo` asks for accounts that are ready at once, so a person can try a
        # purchase without walking through onboarding for every demo artist.
        ready = (params.get("metadata") or {}).get("demo") == "true"
        return self.add(
            {
                "id": new_id("acct"),
                "object": "account",
                "type": params.get("type", "express"),
                "email": params.get("email"),
                "metadata": params.get("metadata") or {},
                "charges_enabled": ready,
                "payouts_enabled": ready,
                "details_submitted": ready,
                "created": int(time.time()),
            }
        )

    def create_account_link(self, params: dict[str, Any]) -> dict[str, Any]:
        account = self.get(params.get("account", ""), "account")
        url = f"https://connect.stripe.test/setup/{account['id']}/{secrets.token_hex(6)}"
        return {
            "object": "account_link",
            "url": f"{self.public_url}/onboard/{account['id']}" if self.public_url else url,
            "created": int(time.time()),
            "expires_at": int(time.time()) + 300,
        }
