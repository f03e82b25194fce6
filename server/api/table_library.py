"""`/api/tables/{id}/library`: a table's own library, for the table's owner only."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from server import rate_limits
from server.api.deps import ClockDep, CurrentOwner, RateLimitsDep, SessionDep
from server.api.responses import errors
from server.api.views import library_entry_out
from server.db.models import GameTable
from server.services import sync_versions, table_library, tables
from terrain_protocol.auth import SuccessResponse
from terrain_protocol.library import (
    AddAssetRequest,
    AddSetRequest,
    AddSetResponse,
    LibraryResponse,
    RecentAssetOut,
    RecentResponse,
    RemoveResponse,
    RemoveSetResponse,
    UsageRequest,
)

router = APIRouter(prefix="/api/tables/{table_id}/library", tags=["table library"])


def owned_table(db: SessionDep, owner: CurrentOwner, table_id: uuid.UUID) -> GameTable:
    # Locked so concurrent adds to one table count its library one after another.
    return tables.owned(db, owner, table_id, lock=True)


OwnedTable = Annotated[GameTable, Depends(owned_table)]


def readable_table(db: SessionDep, owner: CurrentOwner, table_id: uuid.UUID) -> GameTable:
    # Reads lock too (as before), but a read-only table may still be read.
    return tables.owned(db, owner, table_id, lock=True, edit=False)


ReadableTable = Annotated[GameTable, Depends(readable_table)]


def _created_or_ok(created: bool, body: SuccessResponse | AddSetResponse) -> JSONResponse:
    return JSONResponse(status_code=201 if created else 200, content=body.model_dump(mode="json"))


@router.get("", responses=errors(401, 404))
def library(
    db: SessionDep,
    owner: CurrentOwner,
    table: ReadableTable,
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> LibraryResponse:
    db.commit()  # a read: release the lock taken by owned_table
    rows, total = table_library.listing(db, table, owner.user, q, category, limit, offset)
    return LibraryResponse(assets=[library_entry_out(e, a) for e, a in rows], total=total)


@router.post(
    "/assets", status_code=201, response_model=SuccessResponse, responses=errors(401, 402, 404, 409)
)
def add_asset(
    db: SessionDep, owner: CurrentOwner, table: OwnedTable, clock: ClockDep, body: AddAssetRequest
) -> JSONResponse:
    added = table_library.add_asset(db, owner, table, body.asset_id, clock.now())
    db.commit()
    return _created_or_ok(added, SuccessResponse())


@router.post(
    "/sets", status_code=201, response_model=AddSetResponse, responses=errors(401, 402, 404, 409)
)
def add_set(
    db: SessionDep, owner: CurrentOwner, table: OwnedTable, clock: ClockDep, body: AddSetRequest
) -> JSONResponse:
    added, present, skipped = table_library.add_set(db, owner, table, body.set_id, clock.now())
    db.commit()
    response = AddSetResponse(added=added, already_present=present, skipped_unavailable=skipped)
    return _created_or_ok(added > 0, response)


@router.delete("/sets/{set_id}", responses=errors(401, 402, 404))
def remove_set(
    db: SessionDep, table: OwnedTable, clock: ClockDep, set_id: uuid.UUID
) -> RemoveSetResponse:
    removed = table_library.remove_set(db, table, set_id, clock.now())
    db.commit()
    return RemoveSetResponse(removed=removed, undo_until=clock.now() + table_library.UNDO_WINDOW)


@router.delete("/assets/{asset_id}", responses=errors(401, 402, 404))
def remove_asset(
    db: SessionDep, table: OwnedTable, clock: ClockDep, asset_id: uuid.UUID
) -> RemoveResponse:
    undo_until = table_library.remove(db, table, asset_id, clock.now())
    db.commit()
    return RemoveResponse(undo_until=undo_until)


@router.post("/assets/{asset_id}/restore", responses=errors(401, 402, 404, 410))
def restore_asset(
    db: SessionDep, table: OwnedTable, clock: ClockDep, asset_id: uuid.UUID
) -> SuccessResponse:
    table_library.restore(db, table, asset_id, clock.now())
    db.commit()
    return SuccessResponse()


@router.post("/usage", responses=errors(401, 402, 404, 429))
def record_usage(
    db: SessionDep,
    table: OwnedTable,
    clock: ClockDep,
    limits: RateLimitsDep,
    body: UsageRequest,
) -> SuccessResponse:
    limits.hit(rate_limits.USAGE_OWNER, sync_versions.table_owner_key(table))
    table_library.record_usage(db, table, body.asset_id, clock.now())
    db.commit()
    return SuccessResponse()


@router.get("/recent", responses=errors(401, 404))
def recent(
    db: SessionDep,
    owner: CurrentOwner,
    table: ReadableTable,
    limit: Annotated[int, Query(ge=1, le=50)] = 12,
) -> RecentResponse:
    db.commit()  # a read: release the lock taken by owned_table
    rows = table_library.recent(db, table, owner.user, limit)
    return RecentResponse(
        assets=[
            RecentAssetOut(
                asset=library_entry_out(entry, asset),
                last_used_at=usage.last_used_at,
                use_count=usage.use_count,
            )
            for entry, asset, usage in rows
        ]
    )
