"""What happens on Stripe's side without our server asking: a buyer pays, a session expires,
an artist finishes onboarding, someone refunds, a subscription ends. Each returns the webhook
event Stripe would send (a dict), ready for `deliver_event`.
"""

import time
from typing import Any

from tests.stripe_standin.state import StandinState, StripeApiError, new_id

API_VERSION = "2025-01-27.acacia"

DEFAULT_SHIPPING = {
    "name": "Ada Buyer",
    "address": {
        "line1": "1 Dice Street",
        "line2": None,
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    },
}


def make_event(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": dict(obj)},
    }


def complete_checkout(
    state: StandinState,
    session_id: str,
    *,
    shipping: dict[str, Any] | None = None,
    email: str | None = None,
    async_payment: bool = False,
) -> dict[str, Any]:
    """The buyer paid (or, with `async_payment`, started a payment that settles later).

    Creates the PaymentIntent and its Charge (or, in subscription mode, the Customer and an
    active Subscription) and returns `checkout.session.completed`.
    """
    with state.lock:
        session = state.get(session_id, "checkout.session")
        if session["status"] != "open":
            raise StripeApiError(400, f"Session {session_id} is {session['status']}")
        session["status"] = "complete"
        session["payment_status"] = "unpaid" if async_payment else "paid"
        session["customer_details"] = {"email": email or session.get("customer_email")}
        if session["mode"] == "subscription":
            _subscribe(state, session)
        else:
            _charge(state, session)
            shipped = shipping or DEFAULT_SHIPPING
            session["shipping_details"] = shipped
            session["collected_information"] = {"shipping_details": shipped}
        return make_event("checkout.session.completed", session)


def settle_async_payment(
    state: StandinState, session_id: str, *, ok: bool = True
) -> dict[str, Any]:
    """The delayed payment of a completed session succeeded (or failed)."""
    with state.lock:
        session = state.get(session_id, "checkout.session")
        session["payment_status"] = "paid" if ok else "unpaid"
        kind = "succeeded" if ok else "failed"
        return make_event(f"checkout.session.async_payment_{kind}", session)


def expire_checkout(state: StandinState, session_id: str) -> dict[str, Any]:
    """The buyer never paid: the session expired. (An event for an already completed session
    can still be built, to test deliveries out of order.)"""
    with state.lock:
        session = state.get(session_id, "checkout.session")
        if session["status"] == "open":
            session["status"] = "expired"
        return make_event("checkout.session.expired", {**session, "status": "expired"})


def refund(
    state: StandinState, payment_intent_id: str, amount: int | None = None
) -> dict[str, Any]:
    """Refund (all, or `amount` cents) of a paid order's charge: returns `charge.refunded`."""
    with state.lock:
        params: dict[str, Any] = {"payment_intent": payment_intent_id}
        if amount is not None:
            params["amount"] = amount
        created = state.create_refund(params)
        return make_event("charge.refunded", state.get(created["charge"], "charge"))


def finish_onboarding(state: StandinState, account_id: str) -> dict[str, Any]:
    """The artist completed Connect onboarding: returns `account.updated`."""
    with state.lock:
        account = state.get(account_id, "account")
        account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
        return make_event("account.updated", account)


def cancel_subscription(state: StandinState, subscription_id: str) -> dict[str, Any]:
    """The Pro subscription ended: returns `customer.subscription.deleted`."""
    with state.lock:
        subscription = state.get(subscription_id, "subscription")
        subscription["status"] = "canceled"
        subscription["canceled_at"] = int(time.time())
        return make_event("customer.subscription.deleted", subscription)


def _charge(state: StandinState, session: dict[str, Any]) -> None:
    intent_id, charge_id = new_id("pi"), new_id("ch")
    transfer_group = session["payment_intent_data"].get("transfer_group")
    state.add(
        {
            "id": charge_id,
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": 0,
            "currency": session["currency"],
            "payment_intent": intent_id,
            "transfer_group": transfer_group,
            "metadata": session["payment_intent_data"].get("metadata") or {},
            "paid": True,
            "refunded": False,
            "refunds": {"object": "list", "data": []},
            "created": int(time.time()),
        }
    )
    state.add(
        {
            "id": intent_id,
            "object": "payment_intent",
            "amount": session["amount_total"],
            "currency": session["currency"],
            "status": "succeeded",
            "latest_charge": charge_id,
            "transfer_group": transfer_group,
            "metadata": session["payment_intent_data"].get("metadata") or {},
        }
    )
    session["payment_intent"] = intent_id


def _subscribe(state: StandinState, session: dict[str, Any]) -> None:
    customer = (
        session.get("customer")
        or state.add(
            {"id": new_id("cus"), "object": "customer", "email": session.get("customer_email")}
        )["id"]
    )
    subscription = state.add(
        {
            "id": new_id("sub"),
            "object": "subscription",
            "customer": customer,
            "status": "active",
            "metadata": session["subscription_data"].get("metadata") or session["metadata"],
            "created": int(time.time()),
        }
    )
    session["customer"] = customer
    session["subscription"] = subscription["id"]
