"""`/api/sync`: offline-first devices push their edits and pull everyone else's."""

from fastapi import APIRouter

from server.api.deps import ClockDep, CurrentOwner, SessionDep, SettingsDep
from server.api.responses import errors
from server.services import sync
from terrain_protocol.sync import PullRequest, PullResponse, PushRequest, PushResponse

router = APIRouter(prefix="/api/sync", tags=["sync"])


@router.post("/push", responses=errors(401))
def push(
    db: SessionDep, owner: CurrentOwner, clock: ClockDep, settings: SettingsDep, body: PushRequest
) -> PushResponse:
    response = sync.push(db, owner, body, settings, clock.now())
    db.commit()
    return response


@router.post("/pull", responses=errors(401))
def pull(db: SessionDep, owner: CurrentOwner, body: PullRequest) -> PullResponse:
    return sync.pull(db, owner, body.client_id, body.cursor, keeps_copy=body.keeps_copy)
