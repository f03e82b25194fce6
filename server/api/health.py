"""`/health`: whether this process can serve, database included (for load balancers).

It is answered before anything else a request goes through (`HealthFirst`, the outermost
middleware): no routing, no dependencies, no thread, no pooled connection; the database's
state comes from `DatabaseCheck`, which never makes it wait once it has an answer. Under a
rush the event loop is all it shares with the other requests, so it is kept to a few
microseconds of work there. The route below documents it (and answers if the middleware is
not installed, e.g. in an app built without it).
"""

from fastapi import APIRouter, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.responses import errors
from server.db.health_check import DatabaseCheck
from server.errors import error_response
from terrain_protocol.auth import HealthResponse
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["health"])
PATH = "/health"
_OK = HealthResponse(status="ok", database="ok").model_dump_json().encode()


async def answer(check: DatabaseCheck) -> Response:
    if not await check.ok():
        return error_response(503, ErrorCode.DATABASE_UNAVAILABLE, "The database is unavailable.")
    return Response(_OK, media_type="application/json")


@router.get(PATH, responses=errors(), response_model=HealthResponse)
async def health(request: Request) -> Response:
    return await answer(request.app.state.database_check)


class HealthFirst:
    """Answers `GET /health` (and `HEAD`) itself, with the route's answer and headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] not in ("GET", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        response = await answer(scope["app"].state.database_check)
        response.headers["X-Content-Type-Options"] = "nosniff"
        await response(scope, receive, send)
