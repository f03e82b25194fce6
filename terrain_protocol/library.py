"""A table's own library of assets on the wire."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from terrain_protocol.wire import WireRequest

#: How long a removal from a table's library can be undone.
UNDO_WINDOW_SECONDS = 5 * 60


class AddAssetRequest(WireRequest):
    asset_id: uuid.UUID


class AddSetRequest(WireRequest):
    set_id: uuid.UUID


class UsageRequest(WireRequest):
    asset_id: uuid.UUID


class LibraryEntryOut(BaseModel):
    """An asset as a table's library shows it: catalogue fields plus when it joined."""

    id: uuid.UUID
    artist_id: uuid.UUID
    name: str
    description: str | None
    category: str | None
    tags: list[str]
    thumbnail_url: str | None
    display_url: str | None
    dimensions_mm: dict[str, Any] | None
    poly_count: int | None
    base_price: Decimal
    status: str
    added_at: datetime
    added_via_set_id: uuid.UUID | None


class LibraryResponse(BaseModel):
    assets: list[LibraryEntryOut]
    total: int


class AddSetResponse(BaseModel):
    success: bool = True
    added: int
    already_present: int
    skipped_unavailable: int


class RemoveSetResponse(BaseModel):
    success: bool = True
    #: Assets the set had brought, removed with it; each can be restored until `undo_until`.
    removed: int
    undo_until: datetime


class RemoveResponse(BaseModel):
    success: bool = True
    undo_until: datetime


class RecentAssetOut(BaseModel):
    asset: LibraryEntryOut
    last_used_at: datetime
    use_count: int


class RecentResponse(BaseModel):
    assets: list[RecentAssetOut]
