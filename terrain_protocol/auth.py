"""Accounts and anonymous sessions on the wire."""

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from terrain_protocol.plans import Role, UserPlan
from terrain_protocol.wire import WireRequest

# Deliberately simple: one "@", something before it, a dotted domain after it, no spaces.
# Deliverability is proven by mail, not by a regular expression.
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

MIN_PASSWORD_LENGTH = 8
#: Argon2 hashes any length, but an unbounded password is a cheap way to burn server CPU.
MAX_PASSWORD_LENGTH = 256


def normalise_email(value: str) -> str:
    """Emails compare case-insensitively, so the canonical form is lower-case and trimmed."""
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL_SHAPE.match(email):
        raise ValueError("is not a valid e-mail address")
    return email


Email = Annotated[str, AfterValidator(normalise_email)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class RegisterRequest(WireRequest):
    email: Email
    password: Password
    display_name: DisplayName | None = None


class LoginRequest(WireRequest):
    email: Email
    # No length rules on login: a wrong password is simply wrong, whatever its length.
    password: Annotated[str, Field(max_length=MAX_PASSWORD_LENGTH)]


class UserOut(BaseModel):
    """The signed-in user's own view of their account."""

    id: uuid.UUID
    email: str
    display_name: str | None
    role: Role
    plan: UserPlan
    artist_name: str | None = None
    created_at: datetime


class AuthResponse(BaseModel):
    """Returned by register and login. The token is shown once; the server keeps only its hash."""

    user: UserOut
    token: str
    token_expires_at: datetime
    #: The anonymous session sent with the request, now part of this account.
    claimed_session_id: uuid.UUID | None = None
    #: That session's tables, now the account's.
    moved_table_ids: list[uuid.UUID] = []
    #: Tables beyond the account's plan; they stay with the (still usable) session.
    tables_left_in_session: list[uuid.UUID] = []


class MeResponse(BaseModel):
    user: UserOut


class AnonymousSessionOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class AnonymousSessionResponse(BaseModel):
    session: AnonymousSessionOut


class SuccessResponse(BaseModel):
    success: bool = True


class HealthResponse(BaseModel):
    status: str
    database: str


class ReadinessResponse(BaseModel):
    """`/ready`: the database answers and its schema is at the revision this code expects."""

    status: str
    database: str
    migration: str
    expected_migration: str
    #: `ok`, `not_configured`, `invalid_key`, `unreachable` (the others are not a 503: a
    #: server without payments still serves everything else).
    payments: str
    payments_detail: str
