"""`/api/library/assets`: the global catalogue, artists' uploads, and the files behind them."""

import re
import uuid
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import State

from server.api.catalogue_views import asset_out, assets_out
from server.api.deps import (
    ClockDep,
    CurrentArtist,
    OptionalUser,
    SessionDep,
    SettingsDep,
    StorageDep,
    ViewCounterDep,
    app_session,
)
from server.api.fast_routes import FastRequest, FastRoute
from server.api.http_cache import etag_of, not_modified
from server.api.responses import errors
from server.services import catalogue, uploads
from server.services.search_cache import Page, SearchCache
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


class SearchParams(BaseModel):
    """The query string of a catalogue search: one model for the FastAPI route (which
    documents it and refuses what is invalid) and the fast route (`FAST`)."""

    q: str | None = Field(default=None, max_length=200)
    category: Category | None = None
    tags: list[str] | None = Field(default=None, max_length=20)
    artist_id: uuid.UUID | None = None
    min_price: Decimal | None = Field(default=None, ge=0)
    max_price: Decimal | None = Field(default=None, ge=0)
    sort: SearchSort | None = None
    limit: int = Field(default=24, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=10_000)

    def query(self) -> catalogue.SearchQuery:
        tags = (t.strip().lower() for raw in self.tags or [] for t in raw.split(","))
        return catalogue.SearchQuery(
            text=self.q.strip() if self.q and self.q.strip() else None,
            category=self.category,
            tags=tuple(t for t in tags if t),
            artist_id=self.artist_id,
            min_price=self.min_price,
            max_price=self.max_price,
            sort=self.sort,
            limit=self.limit,
            offset=self.offset,
        )


@router.get("", responses=errors(401), response_model=AssetListResponse)
async def search_assets(
    request: Request,
    params: Annotated[SearchParams, Query()],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Also answered by `server.api.fast_routes` (see `FAST`)."""
    return await search_answer(request.app.state, params, if_none_match)


async def search_answer(state: State, params: SearchParams, if_none_match: str | None) -> Response:
    """The same for every caller, so answered from the process's `SearchCache` when it can:
    then on the event loop, with no thread and no database connection (and computed once
    for all who ask for it while it is computed). Its `ETag` is the
    page's hash: a client sending it back in `If-None-Match` gets a 304 while the page is
    unchanged (whichever process answers)."""
    query = params.query()
    cache: SearchCache = state.search_cache

    async def compute() -> Page:
        async with app_session(state, read=True) as db:
            body = await anyio.to_thread.run_sync(_search, db, query)
        return Page(body, etag_of(body))

    page = await cache.page(query, compute)
    headers = {"ETag": page.etag}
    if not_modified(if_none_match, page.etag):
        return Response(status_code=304, headers=headers)
    return Response(page.body, media_type="application/json", headers=headers)


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


_FIELDS = frozenset(SearchParams.model_fields)
_REPEATABLE = frozenset({"tags"})


async def _fast_search(request: FastRequest) -> Response | None:
    """A query string FastAPI would read the same way: known names, each once (tags may
    repeat), valid for `SearchParams`; any other goes to the FastAPI route."""
    pairs = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
    values: dict[str, Any] = {}
    for name, value in pairs:
        if name not in _FIELDS or (name in values and name not in _REPEATABLE):
            return None
        if name in _REPEATABLE:
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    try:
        params = SearchParams.model_validate(values)
    except ValidationError:
        return None
    return await search_answer(request.state, params, request.headers.get("if-none-match"))


#: This router's routes `server.api.fast_routes` answers.
FAST = (
    FastRoute(
        "GET", re.compile("/api/library/assets"), "/api/library/assets", router, _fast_search
    ),
)
