"""Error codes every client can act on without reading the human message."""

from enum import StrEnum

from pydantic import BaseModel


class ErrorCode(StrEnum):
    """Machine-readable codes carried in every error body."""

    VALIDATION_ERROR = "validation_error"
    INVALID_JSON = "invalid_json"
    INVALID_CHARACTERS = "invalid_characters"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    DATABASE_UNAVAILABLE = "database_unavailable"
    MIGRATION_PENDING = "migration_pending"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    RATE_LIMITED = "rate_limited"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"

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
    LIBRARY_LIMIT = "library_limit"
    TABLE_NOT_FOUND = "table_not_found"
    TABLE_ARCHIVED = "table_archived"
    VERSION_CONFLICT = "version_conflict"
    ASSET_NOT_FOUND = "asset_not_found"
    #: A piece names another artist's private, unpublished or archived model.
    ASSET_NOT_VISIBLE = "asset_not_visible"
    SET_NOT_FOUND = "set_not_found"
    NOT_IN_LIBRARY = "not_in_library"
    UNDO_EXPIRED = "undo_expired"

    ARTIST_REQUIRED = "artist_required"
    INVALID_FILENAME = "invalid_filename"
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type"
    INVALID_MESH = "invalid_mesh"
    EMPTY_MESH = "empty_mesh"
    MESH_TOO_LARGE = "mesh_too_large"
    ARTIST_NOT_FOUND = "artist_not_found"
    FILE_NOT_FOUND = "file_not_found"
    CANNOT_PUBLISH = "cannot_publish"
    #: A full-resolution mesh or original asked for by someone who does not own the model.
    NOT_OWNED = "not_owned"

    ORDER_NOT_FOUND = "order_not_found"
    NOT_FOR_SALE = "not_for_sale"
    OWN_ASSET = "own_asset"
    ORDER_NOT_PAID = "order_not_paid"
    PAYMENTS_UNAVAILABLE = "payments_unavailable"
    PAYMENTS_NOT_CONFIGURED = "payments_not_configured"
    INVALID_SIGNATURE = "invalid_signature"
    ALREADY_PRO = "already_pro"
    TABLE_READ_ONLY = "table_read_only"
    ADMIN_REQUIRED = "admin_required"


class ErrorDetail(BaseModel):
    """One problem with a request, located by its path in the body, query or headers."""

    path: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error response: `{"error": ..., "code": ...}`."""

    error: str
    code: ErrorCode
    details: list[ErrorDetail] | None = None
