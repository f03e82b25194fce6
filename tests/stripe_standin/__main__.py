"""`python -m tests.stripe_standin --port 12111 --webhook-url http://127.0.0.1:8000/api/webhooks/stripe
--secret whsec_local` — the stand-in for a person: point the server's STRIPE_API_BASE at it."""

import argparse
import threading

from tests.stripe_standin import StripeStandin


def main() -> None:
    parser = argparse.ArgumentParser(description="A local stand-in for Stripe's API.")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", default="", help="The server's /api/webhooks/stripe.")
    parser.add_argument("--secret", default="whsec_local", help="STRIPE_WEBHOOK_SECRET.")
    args = parser.parse_args()
    standin = StripeStandin(port=args.port)
    with standin.state.lock:
        standin.state.public_url = standin.url
        standin.state.webhook_url = args.webhook_url
        standin.state.webhook_secret = args.secret
    print(f"Stripe stand-in on {standin.url} (STRIPE_API_BASE={standin.url}); Ctrl-C stops it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        standin.close()


if __name__ == "__main__":
    main()
