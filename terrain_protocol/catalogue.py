"""The global catalogue on the wire: assets, uploads, search, sets, favourites, artists."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from terrain_protocol.sample_ids import SAMPLE_LIBRARY_NAMESPACE as SAMPLE_LIBRARY_NAMESPACE
from terrain_protocol.sample_ids import sample_asset_id as sample_asset_id
from terrain_protocol.tables import TableOut
from terrain_protocol.wire import WireRequest

AssetStatus = Literal["draft", "published", "archived"]
#: An upload is `processing` until the worker has measured it and made its display files.
ProcessingState = Literal["processing", "ready", "failed"]
Visibility = Literal["public", "unlisted", "private"]
UnitsName = Literal["mm", "cm", "inch"]
SearchSort = Literal["relevance", "newest", "popular", "price", "price_desc"]
#: What a buyer may do with the model: the artist picks one when uploading.
Licence = Literal["personal-use", "commercial-prints", "cc-by-4.0", "cc-by-nc-4.0", "cc0-1.0"]
DEFAULT_LICENCE: Licence = "personal-use"
#: Each licence in words, for the apps to show.
LICENCES: dict[str, str] = {
    "personal-use": "Personal use: print for yourself",
    "commercial-prints": "Commercial: print and sell physical copies",
    "cc-by-4.0": "Creative Commons Attribution 4.0",
    "cc-by-nc-4.0": "Creative Commons Attribution-NonCommercial 4.0",
    "cc0-1.0": "Public domain (CC0 1.0)",
}


#: Suggested categories; any lower-case slug is accepted.
CATEGORIES = [
    "hills",
    "ruins",
    "walls",
    "buildings",
    "forest",
    "rocks",
    "scatter",
    "containers",
    "water",
    "roads",
    "tiles",
    "other",
]

Category = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,49}$")]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=30)
]
Tags = Annotated[list[Tag], Field(max_length=20)]
AssetName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Price = Annotated[Decimal, Field(ge=0, le=Decimal("99999999.99"), decimal_places=2)]


class MeshTierOut(BaseModel):
    """One mesh of an asset's level-of-detail ladder, as a GLB in millimetres, Z up.

    `url` names the file's SHA-256, so its content never changes: cache it by `hash`.
    """

    triangles: int
    bytes: int
    hash: str
    url: str
    #: A decimated copy with at most a quarter of the original's triangles: anyone may have it.
    #: The other tiers go only to those who own the model (`AssetOut.full_access`).
    preview: bool


class AssetOut(BaseModel):
    id: uuid.UUID
    artist_id: uuid.UUID
    artist_name: str | None
    name: str
    description: str | None
    category: str | None
    tags: list[str]
    thumbnail_url: str | None
    display_url: str | None
    dimensions_mm: dict[str, Any] | None
    #: The same size as the original system's models listed it: x, y, z in millimetres.
    width: float | None
    depth: float | None
    height: float | None
    poly_count: int | None
    base_price: Decimal
    licence: Licence = DEFAULT_LICENCE
    status: AssetStatus
    visibility: Visibility
    processing_state: ProcessingState = "ready"
    #: Why processing failed, for the artist to read; None unless `failed`.
    processing_error: str | None = None
    source_units: str | None
    view_count: int
    add_count: int
    use_count: int
    download_count: int
    sale_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    #: The ladder's meshes this caller may download, densest first: every tier for those with
    #: the full model, else the preview tiers only. Empty while processing (or for an asset
    #: processed before ladders were stored, until `terrain-server rebuild-ladders`).
    tiers: list[MeshTierOut] = Field(default_factory=list)
    #: True when this caller may have every tier and the original (artist, admin, buyer with a
    #: paid order, anyone for a free model); False means the app shows a preview.
    full_access: bool = False
    #: The uploaded file itself, for those with `full_access` (signed in, or a free model).
    original_url: str | None = None
    #: Server-rendered pictures of the full mesh for the catalogue page, by view name
    #: (front, back, side, top): PNG, for anyone who can see the asset.
    view_urls: dict[str, str] = Field(default_factory=dict)


class AssetResponse(BaseModel):
    asset: AssetOut


class UploadResponse(BaseModel):
    """202 for a new upload (the asset is `processing`), 200 for a file already uploaded."""

    asset: AssetOut
    #: The units the file is read in: the ones stated, else None until processing has
    #: guessed them (then the asset's `source_units`); `units_detected` says the server guesses.
    units_used: UnitsName | None
    units_detected: bool
    #: True when this artist had uploaded the very same file before: that asset is returned.
    deduplicated: bool


class AssetUpdate(WireRequest):
    name: AssetName | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    category: Category | None = None
    tags: Tags | None = None
    base_price: Price | None = None
    licence: Licence | None = None
    status: AssetStatus | None = None
    visibility: Visibility | None = None


class AssetListResponse(BaseModel):
    assets: list[AssetOut]
    total: int


class SetCreate(WireRequest):
    name: AssetName
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    asset_ids: Annotated[list[uuid.UUID], Field(max_length=500)] = Field(default_factory=list)
    is_public: bool = True


class SetUpdate(WireRequest):
    name: AssetName | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    #: Replaces the set's assets, in this order.
    asset_ids: Annotated[list[uuid.UUID], Field(max_length=500)] | None = None
    is_public: bool | None = None


class SetOut(BaseModel):
    id: uuid.UUID
    curator_id: uuid.UUID
    name: str
    description: str | None
    is_public: bool
    asset_count: int
    created_at: datetime
    updated_at: datetime


class SetDetail(SetOut):
    assets: list[AssetOut]


class SetResponse(BaseModel):
    set: SetDetail


class SetListResponse(BaseModel):
    sets: list[SetOut]
    total: int


class FavoriteRequest(WireRequest):
    asset_id: uuid.UUID


class ArtistOut(BaseModel):
    id: uuid.UUID
    display_name: str | None
    artist_name: str | None
    artist_bio: str | None
    artist_url: str | None
    created_at: datetime
    published_model_count: int
    public_table_count: int
    #: Private: only for the artist themself and admins.
    email: str | None = None
    commission_rate: Decimal | None = None
    stripe_account_id: str | None = None
    stripe_onboarding_complete: bool | None = None


class ArtistResponse(BaseModel):
    artist: ArtistOut


class ArtistModelsResponse(BaseModel):
    models: list[AssetOut]


class ArtistTablesResponse(BaseModel):
    tables: list[TableOut]


class BecomeArtistRequest(WireRequest):
    artist_name: AssetName
    artist_bio: Annotated[str, StringConstraints(max_length=5000)] = ""
    artist_url: (
        Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://[^\s]+$")] | None
    ) = None


class OwnModelOut(AssetOut):
    """One of the caller's own models, as "My models" lists it: any status, with sales."""

    #: Copies sold: the quantities of this model's order lines on paid orders (not refunded).
    paid_sales: int


class OwnModelsResponse(BaseModel):
    models: list[OwnModelOut]
