"""The one place that talks to Stripe, through the real `stripe` library.

`STRIPE_API_BASE` moves every call (API and Connect) to another address: tests point it at
the local stand-in in `tests/stripe_standin`. Nothing here runs inside an open database
transaction: callers commit first, call Stripe, then record the answer in a new one.

Without both Stripe secrets nothing here talks to Stripe: `client` refuses with
`503 payments_not_configured` (routes check earlier, through `PaymentsDep`; this catches the
rest, e.g. a worker started without keys).

The library's own retries are off (`max_network_retries=0`): a request that failed is retried
by the job system with the same idempotency key, so Stripe replays instead of repeating it.
"""

from functools import lru_cache
from typing import Any

import stripe

from server.errors import ApiError
from server.settings import Settings
from terrain_protocol.errors import ErrorCode


def not_configured(reason: str = "") -> ApiError:
    return ApiError(
        503,
        ErrorCode.PAYMENTS_NOT_CONFIGURED,
        reason
        or "Payments are not configured on this server (STRIPE_SECRET_KEY and "
        "STRIPE_WEBHOOK_SECRET); nothing was changed.",
    )


def client(settings: Settings, timeout: float | None = None) -> stripe.StripeClient:
    """A client for these settings, made once per process (its connection pool is reused)."""
    if not settings.payments_configured or settings.stripe_secret_key is None:
        raise not_configured()
    return _client(
        settings.stripe_secret_key,
        settings.stripe_api_base,
        timeout or settings.stripe_timeout_seconds,
    )


@lru_cache(maxsize=8)
def _client(api_key: str, api_base: str | None, timeout: float) -> stripe.StripeClient:
    addresses: dict[str, str] = {}
    if api_base:
        base = api_base.rstrip("/")
        addresses = {"api": base, "connect": base, "files": base}
    return stripe.StripeClient(
        api_key,
        base_addresses=addresses,  # type: ignore[arg-type]
        http_client=stripe.HTTPXClient(timeout=timeout, allow_sync_methods=True),
        max_network_retries=0,
    )


def options(idempotency_key: str) -> dict[str, Any]:
    return {"idempotency_key": idempotency_key}


def unavailable(exc: stripe.StripeError) -> ApiError:
    """A Stripe failure during a request, as the caller sees it (nothing was charged)."""
    return ApiError(
        502,
        ErrorCode.PAYMENTS_UNAVAILABLE,
        f"The payment provider did not answer ({type(exc).__name__}); try again shortly.",
    )
