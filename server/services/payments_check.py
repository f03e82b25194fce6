"""Whether this server can take payments: both Stripe secrets given, and Stripe takes the key.

The key is tried at start-up with the cheapest authenticated call there is (`GET /v1/balance`),
waiting at most `STARTUP_WAIT_S` (or `TERRAIN_STRIPE_TIMEOUT_SECONDS` when lower), so an
unreachable Stripe delays start-up by seconds, never by minutes. The answer is shown by
`/ready` and decides what payment routes do:

- `not_configured` (a secret missing): every payment route answers 503
  `payments_not_configured`, webhooks included (a forged one cannot be told from a real one).
- `invalid_key` (Stripe answered 401): routes that would call Stripe answer 503 at once instead
  of leaving cancelled orders behind; webhooks are still handled, because their signing secret
  is a different secret and payments Stripe already took must be recorded.
- `unreachable` (no answer, or an error that says nothing about the key): routes go ahead (a
  blip must not stop sales; a call that fails is a 502 as before), and `/ready` has the key
  tried again in the background at most every `RECHECK_S` seconds.

A bad key does not stop start-up: the catalogue, tables and free assets keep working while
the operator fixes it, and `/ready` (plus an error in the log) says what is wrong.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

import stripe

from server.services import stripe_gateway
from server.settings import Settings

log = logging.getLogger(__name__)

STARTUP_WAIT_S = 5.0
RECHECK_S = 30.0


class PaymentsState(StrEnum):
    OK = "ok"
    NOT_CONFIGURED = "not_configured"
    INVALID_KEY = "invalid_key"
    UNREACHABLE = "unreachable"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class PaymentsStatus:
    state: PaymentsState
    detail: str
    key: str = ""  # a fingerprint of the key it was found for, never the key
    checked_at: float = 0.0


NOT_CONFIGURED = PaymentsStatus(
    PaymentsState.NOT_CONFIGURED,
    "payments are not configured: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET",
)


def _fingerprint(settings: Settings) -> str:
    key = f"{settings.stripe_secret_key}|{settings.stripe_api_base}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _where(settings: Settings) -> str:
    return f" (Stripe API at {settings.stripe_api_base})" if settings.stripe_api_base else ""


class StripeKeyCheck:
    """The last answer Stripe gave about this process's key (one per app)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = PaymentsStatus(PaymentsState.UNCHECKED, "the key has not been tried yet")
        self._trying = False

    def known(self, settings: Settings) -> PaymentsStatus:
        """What is known now, without calling Stripe."""
        if not settings.payments_configured:
            return NOT_CONFIGURED
        with self._lock:
            status = self._status
        if status.key != _fingerprint(settings):
            return PaymentsStatus(PaymentsState.UNCHECKED, "the key has not been tried yet")
        return status

    def current(self, settings: Settings) -> PaymentsStatus:
        """For `/ready`: what is known, at once. When the key was never tried, or Stripe was
        out of reach more than `RECHECK_S` seconds ago, it is tried again in the background
        (one try at a time), so `/ready` itself never waits for Stripe."""
        status = self.known(settings)
        stale = time.monotonic() - status.checked_at > RECHECK_S
        if status.state == PaymentsState.UNCHECKED or (
            status.state == PaymentsState.UNREACHABLE and stale
        ):
            with self._lock:
                start, self._trying = not self._trying, True
            if start:
                wait = min(settings.stripe_timeout_seconds, STARTUP_WAIT_S)
                threading.Thread(target=self._retry, args=(settings, wait), daemon=True).start()
        return status

    def _retry(self, settings: Settings, timeout: float) -> None:
        try:
            self.check(settings, timeout)
        finally:
            with self._lock:
                self._trying = False

    def check(self, settings: Settings, timeout: float) -> PaymentsStatus:
        """Try the key with one authenticated call; remember and log the answer."""
        if not settings.payments_configured:
            log.warning("%s; payment routes answer 503", NOT_CONFIGURED.detail)
            return NOT_CONFIGURED
        state, detail = _try_key(settings, timeout)
        status = PaymentsStatus(state, detail, _fingerprint(settings), time.monotonic())
        with self._lock:
            self._status = status
        if state != PaymentsState.OK:
            log.error("payments: %s", detail)
        return status


def _try_key(settings: Settings, timeout: float) -> tuple[PaymentsState, str]:
    where = _where(settings)
    try:
        stripe_gateway.client(settings, timeout).v1.balance.retrieve()
    except stripe.AuthenticationError:
        return PaymentsState.INVALID_KEY, f"Stripe refused STRIPE_SECRET_KEY{where}"
    except stripe.PermissionError:
        pass  # a restricted key without balance access: still a key Stripe knows
    except stripe.StripeError as exc:
        return PaymentsState.UNREACHABLE, f"Stripe did not answer ({type(exc).__name__}){where}"
    return PaymentsState.OK, f"Stripe accepted the key{where}"
