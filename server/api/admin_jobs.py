"""`/api/admin/jobs`: background jobs that gave up, with their last error, for admins."""

from fastapi import APIRouter

from server.api.deps import CurrentUser, SessionDep
from server.api.responses import errors
from server.errors import ApiError
from server.services import job_admin
from terrain_protocol.errors import ErrorCode
from terrain_protocol.orders import ParkedJobList
from terrain_protocol.plans import Role

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/jobs", responses=errors(401, 403))
def parked_jobs(db: SessionDep, user: CurrentUser) -> ParkedJobList:
    """Jobs parked after their last attempt (payouts, reversals, e-mail, uploads)."""
    if user.role != Role.ADMIN:
        raise ApiError(403, ErrorCode.ADMIN_REQUIRED, "Only administrators can see jobs.")
    return job_admin.parked(db)
