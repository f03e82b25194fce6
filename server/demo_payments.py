"""`seed --demo` with STRIPE_API_BASE set: the demo artists get Connect accounts there.

Meant for the local Stripe stand-in (`python -m tests.stripe_standin`), which makes accounts
marked `demo` ready at once, so a person can buy the priced sample pieces and see the payouts
(docs/ORDERS.md). The stand-in's key and a webhook secret must be given explicitly, as for
the server; without them, or without STRIPE_API_BASE, nothing happens: real Stripe accounts
are made by each artist's own onboarding.
"""

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from server.db.models import User
from server.services import stripe_gateway
from server.settings import Settings


def connect_demo_artists(
    db: Session, artists: Iterable[User], settings: Settings, report: Callable[[str], None]
) -> None:
    if not settings.stripe_api_base:
        return
    if not settings.payments_configured:
        report(
            "  No Connect accounts for the demo artists: payments are not configured "
            "(STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)."
        )
        return
    client = stripe_gateway.client(settings)
    for artist in artists:
        if artist.role != "artist" or artist.stripe_onboarding_complete:
            continue
        user_id, email = artist.id, artist.email
        db.commit()  # no transaction open while Stripe is called
        account = client.v1.accounts.create(
            {
                "type": "express",
                "email": email,
                "metadata": {"user_id": str(user_id), "demo": "true"},
            },
            stripe_gateway.options(f"demo-connect-{user_id}-{settings.stripe_api_base}"),  # type: ignore[arg-type]
        )
        artist.stripe_account_id = account.id
        artist.stripe_onboarding_complete = bool(account.details_submitted)
        db.commit()
        report(f"  Connect account {account.id} for {email}")
