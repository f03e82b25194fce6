"""`/api/favorites`: assets a signed-in user marked to find again."""

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select

from server.api.catalogue_views import assets_out
from server.api.deps import ClockDep, CurrentUser, SessionDep
from server.api.responses import errors
from server.db.models import Asset, Favorite
from server.errors import ApiError
from server.services import catalogue
from terrain_protocol.auth import SuccessResponse
from terrain_protocol.catalogue import AssetListResponse, FavoriteRequest
from terrain_protocol.errors import ErrorCode

router = APIRouter(prefix="/api/favorites", tags=["favorites"])


@router.get("", responses=errors(401))
def list_favorites(db: SessionDep, user: CurrentUser) -> AssetListResponse:
    rows = db.scalars(
        select(Asset)
        .join(Favorite, Favorite.asset_id == Asset.id)
        .where(Favorite.user_id == user.id)
        .order_by(Favorite.created_at.desc())
    ).all()
    visible = [a for a in rows if catalogue.can_see(a, user)]
    return AssetListResponse(assets=assets_out(db, visible, user), total=len(visible))


@router.post("", status_code=201, response_model=SuccessResponse, responses=errors(401, 404))
def add_favorite(
    db: SessionDep, user: CurrentUser, clock: ClockDep, body: FavoriteRequest
) -> JSONResponse:
    catalogue.visible(db, user, body.asset_id)
    if db.get(Favorite, (user.id, body.asset_id)) is not None:
        return JSONResponse(status_code=200, content={"success": True})
    db.add(Favorite(user_id=user.id, asset_id=body.asset_id, created_at=clock.now()))
    db.commit()
    return JSONResponse(status_code=201, content={"success": True})


@router.delete("/{asset_id}", responses=errors(401, 404))
def remove_favorite(db: SessionDep, user: CurrentUser, asset_id: uuid.UUID) -> SuccessResponse:
    favorite = db.get(Favorite, (user.id, asset_id))
    if favorite is None:
        raise ApiError(404, ErrorCode.ASSET_NOT_FOUND, "That asset is not among your favourites.")
    db.delete(favorite)
    db.commit()
    return SuccessResponse()
