"""`/api/sync`: offline-first devices push their edits and pull everyone else's."""

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.datastructures import State

from server.api.deps import (
    CurrentOwner,
    SessionDep,
    SessionIdHeader,
    TokenDep,
    app_session,
    optional_owner,
    required,
)
from server.api.fast_routes import FastRequest, FastRoute, caller
from server.api.responses import errors
from server.clock import Clock
from server.services import sync
from server.settings import Settings
from terrain_protocol.sync import (
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    read_valid_push,
)


class _PushBody(Request):
    """A push's body as its JSON "value": the request already read in one pass when it is
    valid (FastAPI takes a model instance as it is), else the decoded JSON, which FastAPI
    then validates as usual and refuses with its usual errors."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            self._json = read_valid_push(raw) or json.loads(raw)
        return self._json


class _PushRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_push(request: Request) -> Response:
            return await handle(_PushBody(request.scope, request.receive))

        return handle_push


router = APIRouter(prefix="/api/sync", tags=["sync"])
_pushes = APIRouter(route_class=_PushRoute)


@_pushes.post("/push", responses=errors(401), response_model=PushResponse)
async def push(
    request: Request, token: TokenDep, body: PushRequest, x_session_id: SessionIdHeader = None
) -> Response:
    """A desktop pushes every few seconds while someone edits; also answered by
    `server.api.fast_routes` (see `FAST`)."""
    return await push_answer(request.app.state, token, x_session_id, body)


async def push_answer(
    state: State, token: str | None, x_session_id: str | None, body: PushRequest
) -> Response:
    """In one trip to a worker thread (the caller, the push, the commit and the JSON). The
    same checks as with `CurrentOwner`."""
    async with app_session(state, read=False) as db:
        answer = await anyio.to_thread.run_sync(
            _push, db, state.clock, state.settings, token, x_session_id, body
        )
    return Response(answer, media_type="application/json")


def _push(
    db: Session,
    clock: Clock,
    settings: Settings,
    token: str | None,
    x_session_id: str | None,
    body: PushRequest,
) -> bytes:
    owner = required(optional_owner(db, clock, settings, token, x_session_id))
    response = sync.push(db, owner, body, settings, clock.now())
    db.commit()
    return response.model_dump_json(by_alias=True).encode()


router.include_router(_pushes)


@router.post("/pull", responses=errors(401))
def pull(db: SessionDep, owner: CurrentOwner, body: PullRequest) -> PullResponse:
    return sync.pull(db, owner, body.client_id, body.cursor, keeps_copy=body.keeps_copy)


async def _fast_push(request: FastRequest) -> Response | None:
    """A push valid as a whole, read in one pass as `_PushBody` reads it; any other goes to
    the FastAPI route, which refuses each bad mutation on its own."""
    body = read_valid_push(request.body)
    if body is None:
        return None
    return await push_answer(request.state, *caller(request), body)


#: This router's routes `server.api.fast_routes` answers.
FAST = (
    FastRoute("POST", re.compile("/api/sync/push"), "/push", _pushes, _fast_push, json_body=True),
)
