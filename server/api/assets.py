"""`/api/library/assets`: the global catalogue, artists' uploads, and the files behind them."""

import uuid
from decimal import Decimal
from typing import Annotated

import anyio
from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.catalogue_views import asset_out, assets_out
from server.api.deps import (
    ClockDep,
    CurrentArtist,
    OptionalUser,
    SessionDep,
    SettingsDep,
    StorageDep,
    ViewCounterDep,
    request_session,
)
from server.api.http_cache import etag_of, not_modified
from server.api.responses import errors
from server.services import catalogue, uploads
from server.services.search_cache import SearchCache
from terrain_meshes.formats import Units
from terrain_protocol.catalogue import (
    AssetListResponse,
    AssetResponse,
    AssetUpdate,
    Category,
    Licence,
    SearchSort,
    UnitsName,
    UploadResponse,
)

router = APIRouter(prefix="/api/library/assets", tags=["catalogue"])


@router.get("", responses=errors(401), response_model=AssetListResponse)
async def search_assets(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[Category | None, Query()] = None,
    tags: Annotated[list[str] | None, Query(max_length=20)] = None,
    artist_id: uuid.UUID | None = None,
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    sort: SearchSort | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The same for every caller, so answered from the process's `SearchCache` when it can:
    then on the event loop, with no thread and no database connection. Its `ETag` is the
    page's hash: a client sending it back in `If-None-Match` gets a 304 while the page is
    unchanged (whichever process answers)."""
    tag_list = tuple(t.strip().lower() for raw in tags or [] for t in raw.split(",") if t.strip())
    query = catalogue.SearchQuery(
        text=q.strip() if q and q.strip() else None,
        category=category,
        tags=tag_list,
        artist_id=artist_id,
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    cache: SearchCache = request.app.state.search_cache
    body = cache.get(query)
    if body is None:
        generation = cache.generation
        async with request_session(request) as db:
            body = await anyio.to_thread.run_sync(_search, db, query)
        cache.put(query, body, generation)
    headers = {"ETag": etag_of(body)}
    if not_modified(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _search(db: Session, query: catalogue.SearchQuery) -> bytes:
    rows, total = catalogue.search(db, query)
    answer = AssetListResponse(assets=assets_out(db, rows), total=total)
    db.commit()  # end the read here, in this thread: the session then closes without I/O
    return answer.model_dump_json(by_alias=True).encode()


@router.post(
    "", status_code=202, response_model=UploadResponse, responses=errors(401, 403, 409, 415)
)
def upload_asset(
    db: SessionDep,
    artist: CurrentArtist,
    storage: StorageDep,
    settings: SettingsDep,
    clock: ClockDep,
    file: Annotated[UploadFile, File(description="STL, OBJ, PLY, 3MF or GLB")],
    name: Annotated[str | None, Form(max_length=200)] = None,
    description: Annotated[str | None, Form(max_length=5000)] = None,
    category: Annotated[Category | None, Form()] = None,
    tags: Annotated[str | None, Form(max_length=1000, description="comma-separated")] = None,
    units: Annotated[UnitsName | None, Form()] = None,
    licence: Annotated[Licence | None, Form()] = None,
) -> JSONResponse:
    """Store the file and queue its processing: 202 with the asset `processing`.

    The worker (`terrain-server worker`, started by `serve`) measures the model and makes its
    display mesh and thumbnail in a sandboxed child process; poll the asset until its
    `processing_state` is `ready` or `failed` (with `processing_error`). The same file uploaded
    again by the same artist answers 200 with the existing asset.
    """
    metadata = uploads.Metadata(
        name=name.strip() if name and name.strip() else None,
        description=description,
        category=category,
        tags=[t.strip().lower()[:30] for t in (tags or "").split(",") if t.strip()][:20],
        units=Units(units) if units else None,
        licence=licence,
    )
    result = uploads.ingest(
        db, storage, artist, file.file, file.filename, metadata, settings, clock.now()
    )
    asset = result.asset
    units_used = units or (asset.source_units if result.deduplicated else None)
    body = UploadResponse(
        asset=asset_out(asset, artist.artist_name or artist.display_name),
        units_used=units_used,
        units_detected=units is None,
        deduplicated=result.deduplicated,
    )
    return JSONResponse(
        status_code=200 if result.deduplicated else 202, content=body.model_dump(mode="json")
    )


@router.get("/{asset_id}", responses=errors(401, 404))
def get_asset(
    db: SessionDep, user: OptionalUser, views: ViewCounterDep, asset_id: uuid.UUID
) -> AssetResponse:
    asset = catalogue.visible(db, user, asset_id, views=views)
    return AssetResponse(asset=assets_out(db, [asset], user)[0])


@router.patch("/{asset_id}", responses=errors(401, 403, 404, 409))
def update_asset(
    db: SessionDep, user: CurrentArtist, clock: ClockDep, asset_id: uuid.UUID, body: AssetUpdate
) -> AssetResponse:
    asset = catalogue.apply_update(db, user, asset_id, body, clock.now())
    return AssetResponse(asset=assets_out(db, [asset], user)[0])
