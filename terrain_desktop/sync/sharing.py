"""Shared tables on the server: read one by its share code, clone one into my tables.

Thin calls over `ApiClient` with the protocol's models, kept apart from the sync engine
because they are asked for by a user, once, rather than run in rounds.
"""

import uuid

from terrain_desktop.sync.client import ApiClient
from terrain_protocol.tables import CloneRequest, TableOut, TableResponse

#: Share codes are 16 hexadecimal characters; the server accepts any case.
SHARE_CODE_LENGTH = 16


def normalise_code(text: str) -> str | None:
    """The code as the server stores it, or None when `text` cannot be one (spaces and
    dashes people type or paste are dropped)."""
    code = "".join(c for c in text if c not in " -\t\n").upper()
    if len(code) != SHARE_CODE_LENGTH or any(c not in "0123456789ABCDEF" for c in code):
        return None
    return code


def shared_table(client: ApiClient, code: str) -> TableOut:
    """The table behind a share code (any owner's, public or not): 404 when none."""
    return client.call("GET", f"/api/tables/share/{code}", None, TableResponse).table


def clone(client: ApiClient, table_id: uuid.UUID, code: str | None) -> TableOut:
    """A private copy of the table (and its library) for the caller; 402 `table_limit` when
    the caller's plan holds no more tables."""
    request = CloneRequest(share_code=code)
    return client.call("POST", f"/api/tables/{table_id}/clone", request, TableResponse).table
