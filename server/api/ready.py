"""`/ready`: whether this process should get traffic — the database answers and is migrated.

It also says whether payments work (`payments`: ok, not_configured, invalid_key, unreachable,
with a sentence in `payments_detail`). That never makes it 503: a server without Stripe keys
still serves the catalogue, tables and free assets, and taking it out of the load balancer
would stop those too. Operators who sell should alert on `payments != "ok"`.

`/health` says the process is alive (a load balancer restarts it when that fails); `/ready` also
says the schema is at the head revision this code was built for, so during a rolling upgrade a
new process takes no requests until `terrain-server migrate` has run.
"""

from functools import cache

from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.api.deps import SessionDep, SettingsDep
from server.api.responses import errors
from server.errors import ApiError
from server.migrate import alembic_config
from server.services.payments_check import StripeKeyCheck
from terrain_protocol.auth import ReadinessResponse
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["health"])


@cache
def expected_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
    assert head is not None, "the migrations directory has no revisions"
    return head


@router.get("/ready", responses=errors())
def ready(request: Request, db: SessionDep, settings: SettingsDep) -> ReadinessResponse:
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
    check: StripeKeyCheck = request.app.state.payments_check
    payments = check.current(settings)
    return ReadinessResponse(
        status="ready",
        database="ok",
        migration=current,
        expected_migration=head,
        payments=payments.state.value,
        payments_detail=payments.detail,
    )
