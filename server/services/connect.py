"""Artists' Stripe Connect accounts: made once, onboarded in the browser, watched by webhook.

The account is created with an idempotency key per artist and stored only where none is yet,
so two clicks at once still give the artist one account. No transaction is open while Stripe
is called.
"""

from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.db.models import Job, User
from server.services import stripe_gateway
from server.settings import Settings
from terrain_protocol.orders import OnboardingResponse

PAYOUT_KIND = "payout"


def onboard(db: Session, user: User, settings: Settings) -> OnboardingResponse:
    user_id, email, account_id = user.id, user.email, user.stripe_account_id
    db.commit()  # no transaction stays open across the calls to Stripe
    client = stripe_gateway.client(settings)
    try:
        if account_id is None:
            account = client.v1.accounts.create(
                {
                    "type": "express",
                    "email": email,
                    "metadata": {"user_id": str(user_id)},
                    "capabilities": {"transfers": {"requested": True}},
                },
                stripe_gateway.options(f"connect-account-{user_id}"),  # type: ignore[arg-type]
            )
            db.execute(
                update(User)
                .where(User.id == user_id, User.stripe_account_id.is_(None))
                .values(stripe_account_id=account.id)
            )
            db.commit()
            account_id = db.scalar(select(User.stripe_account_id).where(User.id == user_id))
            db.commit()
        assert account_id is not None
        link = client.v1.account_links.create(
            {
                "account": account_id,
                "refresh_url": settings.connect_refresh_url,
                "return_url": settings.connect_return_url,
                "type": "account_onboarding",
            }
        )
    except stripe.StripeError as exc:
        raise stripe_gateway.unavailable(exc) from exc
    complete = bool(db.scalar(select(User.stripe_onboarding_complete).where(User.id == user_id)))
    db.commit()
    return OnboardingResponse(
        url=link.url, stripe_account_id=account_id, onboarding_complete=complete
    )


def account_updated(
    db: Session, account: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """Onboarding finished (or was undone); payouts that waited for it become due now."""
    account_id = account.get("id")
    if not isinstance(account_id, str):
        return
    complete = bool(account.get("charges_enabled") or account.get("payouts_enabled")) and bool(
        account.get("details_submitted")
    )
    user_id = db.scalar(
        update(User)
        .where(User.stripe_account_id == account_id)
        .values(stripe_onboarding_complete=complete)
        .returning(User.id)
    )
    if user_id is not None and complete:
        db.execute(
            update(Job)
            .where(
                Job.kind == PAYOUT_KIND,
                Job.status == "pending",
                Job.payload["artist_id"].astext == str(user_id),
            )
            .values(run_after=func.now())
        )
