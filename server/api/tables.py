"""`/api/tables`: a caller's tables, public tables, sharing and cloning."""

import re
import uuid
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Body, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import State

from server.api.deps import (
    ClockDep,
    CurrentOwner,
    OptionalOwner,
    SessionDep,
    SessionIdHeader,
    SettingsDep,
    TokenDep,
    ViewCounterDep,
    app_session,
    optional_owner,
    required,
)
from server.api.fast_routes import (
    UUID_SEGMENT,
    FastRequest,
    FastRoute,
    caller,
    model_from_json,
)
from server.api.responses import errors
from server.api.views import table_out
from server.clock import Clock
from server.services import tables
from server.services.view_counts import ViewCounter
from server.settings import Settings
from terrain_protocol.tables import (
    ArchiveResponse,
    CloneRequest,
    TableCreate,
    TableListResponse,
    TableResponse,
    TableUpdate,
)

router = APIRouter(prefix="/api/tables", tags=["tables"])

Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


@router.post("", status_code=201, responses=errors(401, 402))
def create_table(
    db: SessionDep,
    owner: CurrentOwner,
    clock: ClockDep,
    settings: SettingsDep,
    body: Annotated[TableCreate | None, Body()] = None,
) -> TableResponse:
    table = tables.create(db, owner, body or TableCreate(), settings, clock.now())
    db.commit()
    return TableResponse(table=table_out(table, owner))


@router.get("/mine", responses=errors(401))
def my_tables(
    db: SessionDep,
    owner: CurrentOwner,
    status: Literal["active", "archived", "all"] = "active",
    limit: Limit = 50,
    offset: Offset = 0,
) -> TableListResponse:
    rows, total = tables.list_for_owner(
        db, owner, None if status == "all" else status, limit, offset
    )
    return TableListResponse(tables=[table_out(t, owner) for t in rows], total=total)


@router.get("/user/{user_id}", responses=errors(401))
def tables_of_user(
    db: SessionDep, owner: OptionalOwner, user_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> TableListResponse:
    rows, total = tables.list_for_user(db, owner, user_id, limit, offset)
    return TableListResponse(tables=[table_out(t, owner) for t in rows], total=total)


@router.get("/share/{code}", responses=errors(401, 404))
def shared_table(
    db: SessionDep, owner: OptionalOwner, views: ViewCounterDep, code: str
) -> TableResponse:
    table = tables.by_share_code(db, owner, code, views)
    return TableResponse(table=table_out(table, owner, via_share_code=True))


@router.get("/{table_id}", responses=errors(401, 404), response_model=TableResponse)
async def get_table(
    request: Request, token: TokenDep, table_id: uuid.UUID, x_session_id: SessionIdHeader = None
) -> Response:
    """The most frequent request of all (a table opened, or reopened by a device), also
    answered by `server.api.fast_routes` (see `FAST`)."""
    return await read_table(request.app.state, token, x_session_id, table_id)


async def read_table(
    state: State, token: str | None, x_session_id: str | None, table_id: uuid.UUID
) -> Response:
    """Done in one trip to a worker thread (the caller, the table and its JSON) and without
    a transaction, where the dependencies took one trip each and the database five round
    trips. The same checks, in the same order, as `OptionalOwner` and `tables.visible`."""
    async with app_session(state, read=True, autocommit=True) as db:
        body = await anyio.to_thread.run_sync(
            _read_table, db, state.clock, state.settings, state.views, token, x_session_id, table_id
        )
    return Response(body, media_type="application/json")


def _read_table(
    db: Session,
    clock: Clock,
    settings: Settings,
    views: ViewCounter,
    token: str | None,
    x_session_id: str | None,
    table_id: uuid.UUID,
) -> bytes:
    owner = optional_owner(db, clock, settings, token, x_session_id)
    answer = TableResponse(table=table_out(tables.visible(db, owner, table_id, views), owner))
    return answer.model_dump_json(by_alias=True).encode()


@router.patch("/{table_id}", responses=errors(401, 402, 404, 409), response_model=TableResponse)
async def update_table(
    request: Request,
    token: TokenDep,
    table_id: uuid.UUID,
    body: TableUpdate,
    x_session_id: SessionIdHeader = None,
) -> Response:
    """Also answered by `server.api.fast_routes` (see `FAST`)."""
    return await edit_table(request.app.state, token, x_session_id, table_id, body)


async def edit_table(
    state: State,
    token: str | None,
    x_session_id: str | None,
    table_id: uuid.UUID,
    body: TableUpdate,
) -> Response:
    """In one trip to a worker thread (the caller, the edit, the commit and the JSON), as
    `read_table`; the same checks as with `CurrentOwner`."""
    async with app_session(state, read=False) as db:
        answer = await anyio.to_thread.run_sync(
            _update_table, db, state.clock, state.settings, token, x_session_id, table_id, body
        )
    return Response(answer, media_type="application/json")


def _update_table(
    db: Session,
    clock: Clock,
    settings: Settings,
    token: str | None,
    x_session_id: str | None,
    table_id: uuid.UUID,
    body: TableUpdate,
) -> bytes:
    owner = required(optional_owner(db, clock, settings, token, x_session_id))
    table = tables.apply_update(db, owner, table_id, body, clock.now())
    db.commit()
    return TableResponse(table=table_out(table, owner)).model_dump_json(by_alias=True).encode()


@router.delete("/{table_id}", responses=errors(401, 404))
def archive_table(
    db: SessionDep,
    owner: CurrentOwner,
    clock: ClockDep,
    settings: SettingsDep,
    table_id: uuid.UUID,
) -> ArchiveResponse:
    table = tables.archive(db, owner, table_id, clock.now(), settings)
    db.commit()
    return ArchiveResponse(table=table_out(table, owner))


@router.post("/{table_id}/restore", responses=errors(401, 402, 404, 409))
def restore_table(
    db: SessionDep, owner: CurrentOwner, clock: ClockDep, settings: SettingsDep, table_id: uuid.UUID
) -> TableResponse:
    table = tables.restore(db, owner, table_id, settings, clock.now())
    db.commit()
    return TableResponse(table=table_out(table, owner))


@router.post("/{table_id}/clone", status_code=201, responses=errors(401, 402, 404))
def clone_table(
    db: SessionDep,
    owner: CurrentOwner,
    clock: ClockDep,
    settings: SettingsDep,
    table_id: uuid.UUID,
    body: Annotated[CloneRequest | None, Body()] = None,
) -> TableResponse:
    request = body or CloneRequest()
    copy = tables.clone(
        db, owner, table_id, request.share_code, request.name, settings, clock.now()
    )
    db.commit()
    return TableResponse(table=table_out(copy, owner))


_TABLE = re.compile("/api/tables/" + UUID_SEGMENT)


async def _fast_read(request: FastRequest) -> Response:
    return await read_table(request.state, *caller(request), uuid.UUID(request.groups[0]))


async def _fast_edit(request: FastRequest) -> Response | None:
    body = model_from_json(TableUpdate, request.body)
    if body is None:
        return None
    return await edit_table(request.state, *caller(request), uuid.UUID(request.groups[0]), body)


#: This router's routes `server.api.fast_routes` answers.
FAST = (
    FastRoute("GET", _TABLE, "/api/tables/{table_id}", router, _fast_read),
    FastRoute("PATCH", _TABLE, "/api/tables/{table_id}", router, _fast_edit, json_body=True),
)
