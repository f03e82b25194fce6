"""Error codes every client can act on without reading the human message."""

from enum import StrEnum

from pydantic import BaseModel


class ErrorCode(StrEnum):
    """Machine-readable codes carried in every error body."""

    VALIDATION_ERROR = "validation_error"
    INVALID_JSON = "invalid_json"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    DATABASE_UNAVAILABLE = "database_unavailable"

    AUTH_REQUIRED = "auth_required"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 (a code, not a secret)
    TOKEN_EXPIRED = "token_expired"  # noqa: S105
    EMAIL_TAKEN = "email_taken"
    FORBIDDEN = "forbidden"

    SESSION_REQUIRED = "session_required"
    SESSION_INVALID = "session_invalid"
    SESSION_EXPIRED = "session_expired"
    SESSION_CLAIMED = "session_claimed"

    TABLE_LIMIT = "table_limit"


class ErrorDetail(BaseModel):
    """One problem with a request, located by its path in the body, query or headers."""

    path: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error response: `{"error": ..., "code": ...}`."""

    error: str
    code: ErrorCode
    details: list[ErrorDetail] | None = None
