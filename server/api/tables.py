"""`/api/tables`: a caller's tables, public tables, sharing and cloning."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from server.api.deps import (
    ClockDep,
    CurrentOwner,
    OptionalOwner,
    SessionDep,
    SettingsDep,
    ViewCounterDep,
)
from server.api.responses import errors
from server.api.views import table_out
from server.services import tables
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


@router.get("/{table_id}", responses=errors(401, 404))
def get_table(
    db: SessionDep, owner: OptionalOwner, views: ViewCounterDep, table_id: uuid.UUID
) -> TableResponse:
    answer = TableResponse(table=table_out(tables.visible(db, owner, table_id, views), owner))
    db.commit()  # end the read here, in this thread: the session then closes without I/O
    return answer


@router.patch("/{table_id}", responses=errors(401, 402, 404, 409))
def update_table(
    db: SessionDep, owner: CurrentOwner, clock: ClockDep, table_id: uuid.UUID, body: TableUpdate
) -> TableResponse:
    table = tables.apply_update(db, owner, table_id, body, clock.now())
    db.commit()
    return TableResponse(table=table_out(table, owner))


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
