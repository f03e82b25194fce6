"""Typed dependencies the routes declare: database session, clock, settings, caller.

Everything comes from `app.state`, set up once by `create_app`, so tests build an app with
their own database and clock without touching globals.

Dependencies that do no I/O are `async def`: FastAPI runs each plain `def` dependency in a
worker thread, and those hops (several per request) cost more than the work they wrap.
Those that query the database stay plain functions, run in a thread.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import anyio
from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.datastructures import State

from server.clock import Clock
from server.db.models import AnonymousSession, User
from server.db.request_slots import RequestSlots
from server.errors import ApiError
from server.rate_limits import RateLimits
from server.services import accounts, anonymous_sessions, idempotency, stripe_gateway
from server.services.idempotency import IdempotentRequest
from server.services.owners import Owner
from server.services.payments_check import PaymentsState, StripeKeyCheck
from server.services.view_counts import ViewCounter
from server.settings import Settings
from server.storage import Storage
from terrain_protocol.errors import ErrorCode
from terrain_protocol.wire import IDEMPOTENCY_HEADER

#: Requests that only read: they get the next free database slot before writes do.
READ_METHODS = frozenset({"GET", "HEAD"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """This request's database session, once one of the process's connections is its own.

    Waiting happens here, on the event loop, holding neither a thread nor a connection. (A
    request that waited for a pool connection inside a worker thread could hold the thread
    that a request owning a connection needs to finish: under load they all stalled until the
    pool's timeout.) The request due first goes first: reads are due sooner (`RequestSlots`).
    """
    async with request_session(request) as session:
        yield session


@asynccontextmanager
async def request_session(request: Request, *, autocommit: bool = False) -> AsyncIterator[Session]:
    """`get_db` for a route that needs a session only sometimes (e.g. not for a cached
    answer): a route that declares `SessionDep` waits for it before it runs.

    `autocommit`: for a route that only reads, with no lock: its statements run without a
    transaction around them, which spares the `BEGIN` and the `COMMIT` (two round trips to
    the database). Each one reads what is committed when it runs, as it would at PostgreSQL's
    READ COMMITTED inside a transaction."""
    async with app_session(
        request.app.state, read=request.method in READ_METHODS, autocommit=autocommit
    ) as session:
        yield session


@asynccontextmanager
async def app_session(
    state: State, *, read: bool, autocommit: bool = False
) -> AsyncIterator[Session]:
    """`request_session` from the app's state, for a caller that has no `Request` (the fast
    routes, `server.api.fast_routes`); `read`: the request only reads (it goes first)."""
    slots: RequestSlots = state.request_slots
    async with slots.acquire(read=read):
        sessions = state.read_sessionmaker if autocommit else None
        session = (sessions or state.sessionmaker)()
        try:
            yield session
        finally:
            if session.in_transaction() and not autocommit:
                # Closing rolls back over the network: in a thread, with its own limiter
                # (as FastAPI does for exits), so it never waits for one.
                await anyio.to_thread.run_sync(session.close, limiter=anyio.CapacityLimiter(1))
            else:
                # Committed, never used, or without a transaction: nothing to roll back, so
                # closing does no I/O and is done here rather than by a trip to a thread.
                session.close()


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def payments_configured(request: Request) -> Settings:
    """The settings, once both Stripe secrets are known to be there (else 503
    `payments_not_configured`, before anything is read or written)."""
    settings: Settings = request.app.state.settings
    if not settings.payments_configured:
        raise stripe_gateway.not_configured()
    return settings


async def stripe_usable(
    request: Request, settings: Annotated[Settings, Depends(payments_configured)]
) -> Settings:
    """As `payments_configured`, and Stripe has not refused the key (see payments_check)."""
    check: StripeKeyCheck = request.app.state.payments_check
    if check.known(settings).state == PaymentsState.INVALID_KEY:
        raise stripe_gateway.not_configured(
            "Payments are not available: Stripe refused this server's STRIPE_SECRET_KEY; "
            "nothing was changed."
        )
    return settings


SessionDep = Annotated[Session, Depends(get_db)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
#: Routes that call Stripe: orders, Connect onboarding, the Pro checkout.
PaymentsDep = Annotated[Settings, Depends(stripe_usable)]
#: Stripe's webhook: needs the secrets, but not a key Stripe accepts.
WebhookPaymentsDep = Annotated[Settings, Depends(payments_configured)]
AuthorizationHeader = Annotated[str | None, Header(include_in_schema=False)]
SessionIdHeader = Annotated[str | None, Header(alias="x-session-id")]


async def bearer_token(authorization: AuthorizationHeader = None) -> str | None:
    """The token of an `Authorization: Bearer ...` header, None when there is no header."""
    return token_of(authorization)


def token_of(authorization: str | None) -> str | None:
    """`bearer_token` of a header's value (the fast routes read headers themselves)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            ErrorCode.INVALID_TOKEN,
            "Expected an 'Authorization: Bearer <token>' header.",
            headers=accounts.BEARER_HEADERS,
        )
    return token.strip()


TokenDep = Annotated[str | None, Depends(bearer_token)]


def optional_user(db: SessionDep, clock: ClockDep, token: TokenDep) -> User | None:
    """The signed-in user, None when anonymous; a bad token is an error, never anonymous."""
    return accounts.authenticate(db, token, clock.now()) if token else None


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise ApiError(
            401, ErrorCode.AUTH_REQUIRED, "Sign in to do this.", headers=accounts.BEARER_HEADERS
        )
    return user


def current_session(
    db: SessionDep, clock: ClockDep, settings: SettingsDep, x_session_id: SessionIdHeader = None
) -> AnonymousSession:
    if not x_session_id:
        raise ApiError(401, ErrorCode.SESSION_REQUIRED, "Send the x-session-id header.")
    return anonymous_sessions.resolve(db, x_session_id, clock.now(), settings.session_ttl_days)


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentSession = Annotated[AnonymousSession, Depends(current_session)]


def optional_owner(
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    token: TokenDep,
    x_session_id: SessionIdHeader = None,
) -> Owner | None:
    """The caller as an owner of tables: the account when signed in, else the session.

    Credentials that are sent must be valid: a bad token or session is a 401, never a
    silent fall-back to anonymous.
    """
    if token:
        return Owner(user=accounts.authenticate(db, token, clock.now()))
    if x_session_id:
        session = anonymous_sessions.resolve(
            db, x_session_id, clock.now(), settings.session_ttl_days
        )
        return Owner(session=session)
    return None


async def current_owner(owner: Annotated[Owner | None, Depends(optional_owner)]) -> Owner:
    return required(owner)


def required(owner: Owner | None) -> Owner:
    """The owner, or 401 when the request carried no credentials at all."""
    if owner is None:
        raise ApiError(
            401,
            ErrorCode.AUTH_REQUIRED,
            "Sign in, or send the x-session-id header of an anonymous session.",
            headers=accounts.BEARER_HEADERS,
        )
    return owner


OptionalOwner = Annotated[Owner | None, Depends(optional_owner)]
CurrentOwner = Annotated[Owner, Depends(current_owner)]


async def current_artist(user: CurrentUser) -> User:
    if user.role not in ("artist", "admin"):
        raise ApiError(
            403,
            ErrorCode.ARTIST_REQUIRED,
            "Only artists can do this; become one from your profile.",
        )
    return user


async def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


CurrentArtist = Annotated[User, Depends(current_artist)]
StorageDep = Annotated[Storage, Depends(get_storage)]


async def get_view_counter(request: Request) -> ViewCounter:
    views: ViewCounter = request.app.state.views
    return views


ViewCounterDep = Annotated[ViewCounter, Depends(get_view_counter)]


def get_rate_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits


def client_address(request: Request) -> str:
    """The peer's address; from a trusted proxy (`TERRAIN_TRUSTED_PROXIES`), uvicorn has put
    the forwarded client's address here instead."""
    return request.client.host if request.client else "unknown"


RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]
ClientAddress = Annotated[str, Depends(client_address)]


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        description="One key per user action, repeated by its retries: the same key gets the "
        "first answer again instead of doing the work twice (remembered for 24 hours).",
    ),
]


async def idempotent_request(
    request: Request, user: CurrentUser, clock: ClockDep, key: IdempotencyKeyHeader = None
) -> IdempotentRequest | None:
    """The caller's `Idempotency-Key` for this write, with what identifies the request
    (method, path, body); None when no key was sent (the write then simply runs)."""
    if key is None:
        return None
    route = request.scope.get("route")
    return IdempotentRequest(
        user_id=user.id,
        key=idempotency.checked_key(key),
        request_hash=idempotency.fingerprint(
            request.method, request.url.path, await request.body()
        ),
        now=clock.now(),
        status_code=getattr(route, "status_code", None) or 200,
    )


IdempotencyDep = Annotated[IdempotentRequest | None, Depends(idempotent_request)]
