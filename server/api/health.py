"""`/health`: whether this process can serve, database included (for load balancers)."""

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.api.deps import SessionDep
from server.api.responses import errors
from server.errors import ApiError
from terrain_protocol.auth import HealthResponse
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["health"])


@router.get("/health", responses=errors())
def health(db: SessionDep) -> HealthResponse:
    try:
        db.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise ApiError(
            503, ErrorCode.DATABASE_UNAVAILABLE, "The database is unavailable."
        ) from None
    return HealthResponse(status="ok", database="ok")
