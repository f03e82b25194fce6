"""`/api/sessions`: anonymous sessions for using the app without an account."""

from fastapi import APIRouter, Depends

from server import rate_limits
from server.api.deps import (
    ClientAddress,
    ClockDep,
    CurrentSession,
    RateLimitsDep,
    SessionDep,
    SettingsDep,
)
from server.api.responses import errors
from server.api.views import session_out
from server.response_headers import no_store
from server.services import anonymous_sessions
from terrain_protocol.auth import AnonymousSessionResponse

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


@router.post("", status_code=201, dependencies=[Depends(no_store)], responses=errors(429))
def create_session(
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    limits: RateLimitsDep,
    address: ClientAddress,
) -> AnonymousSessionResponse:
    limits.hit(rate_limits.SESSION_ADDRESS, address)
    session = anonymous_sessions.create(db, clock.now(), settings.session_ttl_days)
    db.commit()
    return AnonymousSessionResponse(session=session_out(session))


@router.get("/current", dependencies=[Depends(no_store)], responses=errors(401))
def current(session: CurrentSession) -> AnonymousSessionResponse:
    return AnonymousSessionResponse(session=session_out(session))
