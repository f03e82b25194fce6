"""`/api/auth`: register, login, logout, me."""

from fastapi import APIRouter, Depends

from server import rate_limits
from server.api.deps import (
    ClientAddress,
    ClockDep,
    CurrentUser,
    RateLimitsDep,
    SessionDep,
    SessionIdHeader,
    SettingsDep,
    TokenDep,
)
from server.api.responses import errors
from server.api.views import auth_response, user_out
from server.errors import ApiError
from server.response_headers import no_store
from server.services import accounts, activity
from terrain_protocol.auth import (
    AuthResponse,
    LoginRequest,
    MeResponse,
    RegisterRequest,
    SuccessResponse,
)
from terrain_protocol.errors import ErrorCode

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=201,
    dependencies=[Depends(no_store)],
    responses=errors(401, 409, 429),
)
def register(
    body: RegisterRequest,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    limits: RateLimitsDep,
    address: ClientAddress,
    x_session_id: SessionIdHeader = None,
) -> AuthResponse:
    limits.hit(rate_limits.REGISTER_ADDRESS, address)
    issued = accounts.register(db, body, clock.now(), settings, x_session_id)
    db.commit()
    return auth_response(issued)


@router.post("/login", dependencies=[Depends(no_store)], responses=errors(401, 429))
def login(
    body: LoginRequest,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    limits: RateLimitsDep,
    address: ClientAddress,
    x_session_id: SessionIdHeader = None,
) -> AuthResponse:
    """Wrong passwords count against the address and against this account from this address,
    never against the account alone: a stranger's guesses cannot keep its owner out when the
    owner signs in from elsewhere. A limit reached refuses before the password is checked."""
    guesses = (
        (rate_limits.LOGIN_ADDRESS, address),
        (rate_limits.LOGIN_ACCOUNT_ADDRESS, f"{body.email} {address}"),
    )
    for rule, key in guesses:
        limits.check(rule, key)
    try:
        issued = accounts.login(db, body, clock.now(), settings, x_session_id)
    except ApiError as refusal:
        if refusal.code == ErrorCode.INVALID_CREDENTIALS:
            for rule, key in guesses:
                limits.count(rule, key)
            activity.failed_sign_in(db, body.email)
            db.commit()
        raise
    db.commit()
    return auth_response(issued)


@router.post("/logout", responses=errors(401))
def logout(user: CurrentUser, token: TokenDep, db: SessionDep, clock: ClockDep) -> SuccessResponse:
    assert token is not None  # CurrentUser needs one
    accounts.logout(db, token, clock.now())
    db.commit()
    return SuccessResponse()


@router.get("/me", responses=errors(401))
def me(user: CurrentUser) -> MeResponse:
    return MeResponse(user=user_out(user))
