"""Stripe's side of payments: the webhook, artists' Connect onboarding, the Pro plan."""

import anyio
from fastapi import APIRouter, Header, Request

from server.api.deps import (
    ClockDep,
    CurrentArtist,
    CurrentUser,
    PaymentsDep,
    SessionDep,
    SettingsDep,
    WebhookPaymentsDep,
)
from server.api.responses import errors
from server.services import connect, pro_plan, stripe_events
from terrain_protocol.orders import OnboardingResponse, PlanOut, ProCheckoutResponse

router = APIRouter(tags=["payments"])


@router.post("/api/webhooks/stripe", responses=errors(409))
async def stripe_webhook(
    request: Request,
    settings: WebhookPaymentsDep,
    db: SessionDep,
    clock: ClockDep,
    stripe_signature: str | None = Header(default=None, include_in_schema=False),
) -> dict[str, bool]:
    """Stripe's events, verified by signature over the raw body (400 otherwise).

    Without both Stripe secrets configured it answers 503 `payments_not_configured` and
    reads nothing. Each event id is handled once: `{"handled": false}` answers a repeat,
    which changes nothing. A refund that arrives before its order's payment answers 409 and changes
    nothing, so Stripe delivers it again later.
    """
    payload = await request.body()
    event = stripe_events.verify(payload, stripe_signature, settings)
    handled = await anyio.to_thread.run_sync(stripe_events.handle, db, event, settings, clock.now())
    return {"handled": handled}


@router.post("/api/artists/me/stripe/onboard", responses=errors(401, 403, 502))
def stripe_onboard(
    settings: PaymentsDep, db: SessionDep, artist: CurrentArtist
) -> OnboardingResponse:
    """The artist's Connect account (created on the first call) and a link to Stripe's
    onboarding pages, to open in the system browser."""
    return connect.onboard(db, artist, settings)


@router.get("/api/account/plan", responses=errors(401))
def account_plan(db: SessionDep, user: CurrentUser, settings: SettingsDep) -> PlanOut:
    return pro_plan.plan_of(db, user, settings)


@router.post("/api/account/pro/checkout", responses=errors(401, 409, 502))
def pro_checkout(settings: PaymentsDep, db: SessionDep, user: CurrentUser) -> ProCheckoutResponse:
    """A subscription Checkout page for the Pro plan; the webhook upgrades the account."""
    return pro_plan.checkout(db, user, settings)
