"""`/api/library/sets`: curated sets for everyone to browse, edited by artists and admins."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from server.api.catalogue_views import set_detail, set_out
from server.api.deps import ClockDep, CurrentArtist, OptionalUser, SessionDep
from server.api.responses import errors
from server.services import sets
from terrain_protocol.auth import SuccessResponse
from terrain_protocol.catalogue import SetCreate, SetListResponse, SetResponse, SetUpdate

router = APIRouter(prefix="/api/library/sets", tags=["sets"])


@router.get("", responses=errors(401))
def list_sets(
    db: SessionDep,
    user: OptionalUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SetListResponse:
    rows, total = sets.listing(db, user, limit, offset)
    return SetListResponse(sets=[set_out(s, n) for s, n in rows], total=total)


@router.post("", status_code=201, responses=errors(401, 403))
def create_set(
    db: SessionDep, user: CurrentArtist, clock: ClockDep, body: SetCreate
) -> SetResponse:
    asset_set = sets.create(db, user, body, clock.now())
    db.commit()
    return SetResponse(set=set_detail(db, asset_set, sets.members(db, user, asset_set)))


@router.get("/{set_id}", responses=errors(401, 404))
def get_set(db: SessionDep, user: OptionalUser, set_id: uuid.UUID) -> SetResponse:
    asset_set = sets.visible(db, user, set_id)
    return SetResponse(set=set_detail(db, asset_set, sets.members(db, user, asset_set)))


@router.patch("/{set_id}", responses=errors(401, 403, 404))
def update_set(
    db: SessionDep, user: CurrentArtist, clock: ClockDep, set_id: uuid.UUID, body: SetUpdate
) -> SetResponse:
    asset_set = sets.apply_update(db, user, set_id, body, clock.now())
    db.commit()
    return SetResponse(set=set_detail(db, asset_set, sets.members(db, user, asset_set)))


@router.delete("/{set_id}", responses=errors(401, 403, 404))
def delete_set(db: SessionDep, user: CurrentArtist, set_id: uuid.UUID) -> SuccessResponse:
    sets.remove(db, user, set_id)
    db.commit()
    return SuccessResponse()
