"""The error answers of each operation, documented in the OpenAPI spec from this one place.

Every operation can answer 400 (NUL in the path or query, an unreadable body), 413 (a body
over the limit), 422 (invalid input) and 503 (the database is down or busy); routes name the
others they give with `responses=errors(...)`. Each error body is `ErrorBody`.
"""

from typing import Any

from terrain_protocol.errors import ErrorBody

DESCRIPTIONS = {
    400: "Unreadable request, or text with NUL characters (`invalid_json`, `invalid_characters`).",
    401: "Credentials missing or not valid: sign in, or send a valid `x-session-id`.",
    402: "A plan limit is reached (`table_limit`, `library_limit`, `table_read_only`).",
    403: "Not allowed to this caller (`forbidden`, `artist_required`).",
    404: "Not found, or not visible to this caller.",
    409: "Conflicts with the current state (taken, archived, changed meanwhile).",
    410: "Too late: the undo window has passed.",
    413: "The request is too large.",
    415: "Unsupported file type.",
    422: "Invalid input; `details` locate each problem.",
    429: "Too many attempts (`rate_limited`); retry after `Retry-After` seconds.",
    502: "The payment provider failed or timed out (`payments_unavailable`); retry shortly.",
    503: (
        "The database is unavailable or busy (`database_unavailable`), or payments are not "
        "configured on this server (`payments_not_configured`); nothing was changed."
    ),
}

ALWAYS = (400, 413, 422, 503)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the statuses every operation can give, plus `statuses`."""
    return {
        status: {"model": ErrorBody, "description": DESCRIPTIONS[status]}
        for status in sorted({*ALWAYS, *statuses})
    }
