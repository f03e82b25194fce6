"""Stripe's webhook signature scheme: `Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 hex>`.

The signed text is `"<t>.<raw body>"`, keyed with the endpoint's secret (`whsec_...`), exactly
as Stripe signs its deliveries; the server checks it with the `stripe` library.
"""

import hashlib
import hmac
import time


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    signed = f"{t}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"
