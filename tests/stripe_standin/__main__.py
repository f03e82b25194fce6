"""`python -m tests.stripe_standin --port 12111 --webhook-url http://127.0.0.1:8000/api/webhooks/stripe
--secret whsec_local` — the stand-in for a person: give the server the three settings it prints
(STRIPE_API_BASE, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET), explicitly."""

import argparse
import threading

from tests.stripe_standin import STANDIN_KEY, StripeStandin


def main() -> None:
    parser = argparse.ArgumentParser(description="A local stand-in for Stripe's API.")
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container.")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument(
        "--public-url",
        default="",
        help="Its address as buyers reach it (default: where it listens).",
    )
    parser.add_argument("--webhook-url", default="", help="The server's /api/webhooks/stripe.")
    parser.add_argument("--secret", default="whsec_local", help="STRIPE_WEBHOOK_SECRET.")
    parser.add_argument("--api-key", default=STANDIN_KEY, help="The one STRIPE_SECRET_KEY taken.")
    args = parser.parse_args()
    standin = StripeStandin(host=args.host, port=args.port, api_key=args.api_key)
    with standin.state.lock:
        standin.state.public_url = args.public_url or standin.url
        standin.state.webhook_url = args.webhook_url
        standin.state.webhook_secret = args.secret
    print(f"Stripe stand-in on {standin.url}; Ctrl-C stops it. Give the server:", flush=True)
    print(
        f"export STRIPE_API_BASE={standin.url} STRIPE_SECRET_KEY={args.api_key} "
        f"STRIPE_WEBHOOK_SECRET={args.secret}",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        standin.close()


if __name__ == "__main__":
    main()
