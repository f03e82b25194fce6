"""Pages for a person trying a purchase locally against the stand-in (`python -m
tests.stripe_standin`): the Checkout URL opens a page with a Pay button, an onboarding link
finishes onboarding; each sends the signed webhook Stripe would send to the server."""

import html
import json
import urllib.request
from typing import Any

from tests.stripe_standin import actions
from tests.stripe_standin.signing import signature_header
from tests.stripe_standin.state import StandinState, StripeApiError


def page(state: StandinState, method: str, path: str) -> tuple[int, str]:
    """(status, HTML) for `/pay/<session>` and `/onboard/<account>`."""
    kind, _, object_id = path.strip("/").partition("/")
    try:
        if kind == "pay" and method == "GET":
            session = state.get(object_id, "checkout.session")
            total = session["amount_total"] / 100
            return 200, _html(
                f"Pay {total:.2f} {session['currency'].upper()}",
                f'<form method="post"><button>Pay {total:.2f}</button></form>',
            )
        if kind == "pay":
            event = actions.complete_checkout(state, object_id)
            return 200, _html("Paid", f"Paid. {deliver(state, event)} Return to the app.")
        if kind == "onboard":
            event = actions.finish_onboarding(state, object_id)
            return 200, _html("Onboarded", f"Onboarding done. {deliver(state, event)}")
    except StripeApiError as exc:
        return exc.status, _html("Error", html.escape(str(exc)))
    return 404, _html("Not found", "No such page.")


def deliver(state: StandinState, event: dict[str, Any]) -> str:
    """Send `event` to the configured webhook; a sentence saying how it went."""
    if not state.webhook_url:
        return "No --webhook-url was given, so the server was not told."
    body = json.dumps(event).encode()
    request = urllib.request.Request(  # noqa: S310 (a URL the person running it gave)
        state.webhook_url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(body, state.webhook_secret),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return f"The server answered {response.status}."
    except OSError as exc:
        return f"The server could not be told: {html.escape(str(exc))}."


def _html(title: str, body: str) -> str:
    return f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{body}</p>"
