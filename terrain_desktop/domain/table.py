"""A table as the editor sees it (the store keeps it; the domain only reads it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalTable:
    id: str
    name: str
    description: str
    width: int
    depth: int
    is_public: bool
    status: str
    sync_state: str
    sync_error: str | None
    share_code: str | None
    #: Pieces (and library entries) the table may hold, as the server set it (None: the default).
    max_assets: int | None = None
