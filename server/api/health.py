"""`/health`: whether this process can serve, database included (for load balancers).

It runs on the event loop and checks the database on a connection of its own, so it
answers at once even when every request slot and pooled connection is busy.
"""

from fastapi import APIRouter, Request

from server.db.health_check import DatabaseCheck
from server.errors import ApiError
from terrain_protocol.auth import HealthResponse
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> HealthResponse:
    check: DatabaseCheck = request.app.state.database_check
    if not await check.ok():
        raise ApiError(503, ErrorCode.DATABASE_UNAVAILABLE, "The database is unavailable.")
    return HealthResponse(status="ok", database="ok")
