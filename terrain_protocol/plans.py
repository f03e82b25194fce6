"""Plans, roles and the limits that go with them.

The desktop applies these offline and the server enforces them, so both read them here.
"""

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "customer"
    ARTIST = "artist"
    ADMIN = "admin"


class UserPlan(StrEnum):
    """What an account pays for."""

    USER_FREE = "user_free"
    PRO = "pro"


class TablePlan(StrEnum):
    """The plan a table was created under; anonymous tables have their own."""

    ANON_FREE = "anon_free"
    USER_FREE = "user_free"
    PRO = "pro"


#: Active tables an owner may hold, by plan. The server can override these by configuration.
DEFAULT_TABLE_LIMITS: dict[TablePlan, int] = {
    TablePlan.ANON_FREE: 3,
    TablePlan.USER_FREE: 3,
    TablePlan.PRO: 10,
}

#: Placements (and library entries) a table may hold unless configured otherwise.
DEFAULT_MAX_ASSETS = 1000

#: An anonymous session lives this long after its last use.
ANONYMOUS_SESSION_TTL_DAYS = 30

#: The header that carries an anonymous session id.
SESSION_HEADER = "x-session-id"
