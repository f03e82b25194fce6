"""`/metrics`: Prometheus metrics for operators, behind a bearer token.

Closed unless configured: without `TERRAIN_METRICS_TOKEN` the route answers 404, as if it
did not exist, and a request without that exact token answers 401. (Counts of sign-ins,
orders and payouts are business data; the token keeps them from anyone who finds the port.)
It is left out of the OpenAPI schema: it is for a scraper, not for the app's clients.
"""

import hmac

from fastapi import APIRouter, Depends, Response

from server.api.deps import AuthorizationHeader, SessionDep, SettingsDep
from server.api.ready import expected_head
from server.errors import ApiError
from server.jobs import registry
from server.metrics import CONTENT_TYPE, exposition
from server.services import queue_metrics
from terrain_protocol.errors import ErrorCode

router = APIRouter(tags=["operations"])


def require_metrics_token(settings: SettingsDep, authorization: AuthorizationHeader = None) -> None:
    configured = settings.metrics_token
    if configured is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "Not found.")
    expected = f"Bearer {configured.get_secret_value()}".encode()
    if not hmac.compare_digest((authorization or "").encode(), expected):
        raise ApiError(
            401,
            ErrorCode.INVALID_TOKEN,
            "Metrics need the configured bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(require_metrics_token)])
def metrics(db: SessionDep, settings: SettingsDep) -> Response:
    snapshot = queue_metrics.read(db, expected_head(), registry.job_kinds(settings))
    return Response(
        exposition(snapshot), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
    )
