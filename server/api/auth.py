"""`/api/auth`: register, login, logout, me."""

from fastapi import APIRouter

from server.api.deps import (
    ClockDep,
    CurrentUser,
    SessionDep,
    SessionIdHeader,
    SettingsDep,
    TokenDep,
)
from server.api.views import auth_response, user_out
from server.services import accounts
from terrain_protocol.auth import (
    AuthResponse,
    LoginRequest,
    MeResponse,
    RegisterRequest,
    SuccessResponse,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/register", status_code=201)
def register(
    body: RegisterRequest,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    x_session_id: SessionIdHeader = None,
) -> AuthResponse:
    issued = accounts.register(db, body, clock.now(), settings, x_session_id)
    return auth_response(issued)


@router.post("/login")
def login(
    body: LoginRequest,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    x_session_id: SessionIdHeader = None,
) -> AuthResponse:
    issued = accounts.login(db, body, clock.now(), settings, x_session_id)
    return auth_response(issued)


@router.post("/logout")
def logout(user: CurrentUser, token: TokenDep, db: SessionDep, clock: ClockDep) -> SuccessResponse:
    assert token is not None  # CurrentUser needs one
    accounts.logout(db, token, clock.now())
    return SuccessResponse()


@router.get("/me")
def me(user: CurrentUser) -> MeResponse:
    return MeResponse(user=user_out(user))
