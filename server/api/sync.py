"""`/api/sync`: offline-first devices push their edits and pull everyone else's."""

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from server.api.deps import ClockDep, CurrentOwner, SessionDep, SettingsDep
from server.api.responses import errors
from server.services import sync
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


@_pushes.post("/push", responses=errors(401))
def push(
    db: SessionDep, owner: CurrentOwner, clock: ClockDep, settings: SettingsDep, body: PushRequest
) -> PushResponse:
    response = sync.push(db, owner, body, settings, clock.now())
    db.commit()
    return response


router.include_router(_pushes)


@router.post("/pull", responses=errors(401))
def pull(db: SessionDep, owner: CurrentOwner, body: PullRequest) -> PullResponse:
    return sync.pull(db, owner, body.client_id, body.cursor, keeps_copy=body.keeps_copy)
