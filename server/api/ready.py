"""`/ready`: whether this process should get traffic — the database answers and is migrated.

`/health` says the process is alive (a load balancer restarts it when that fails); `/ready` also
says the schema is at the head revision this code was built for, so during a rolling upgrade a
new process takes no requests until `terrain-server migrate` has run.
"""

from functools import cache

from alembic.script import ScriptDirectory
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.api.deps import SessionDep
from server.api.responses import errors
from server.errors import ApiError
from server.migrate import alembic_config
from terrain_protocol.auth import ReadinessResponse
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["health"])


@cache
def expected_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
    assert head is not None, "the migrations directory has no revisions"
    return head


@router.get("/ready", responses=errors())
def ready(db: SessionDep) -> ReadinessResponse:
    try:
        current = db.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        db.rollback()
        current = None
        try:
            db.execute(text("SELECT 1"))
        except SQLAlchemyError:
            raise ApiError(
                503, ErrorCode.DATABASE_UNAVAILABLE, "The database is unavailable."
            ) from None
    head = expected_head()
    if current != head:
        raise ApiError(
            503,
            ErrorCode.MIGRATION_PENDING,
            f"The database is at revision {current or '(none)'}, this server needs {head}: "
            "run `terrain-server migrate`.",
        )
    return ReadinessResponse(
        status="ready", database="ok", migration=current, expected_migration=head
    )
