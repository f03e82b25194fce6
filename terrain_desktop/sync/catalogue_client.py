"""The server's catalogue over HTTP: search, assets and their files, artists, sets, and adding
them to a table's library.

Typed calls over `ApiClient.call` (protocol models on both sides). Files (thumbnails, display
meshes) are bytes, not JSON, so `download` has its own small retry loop over the same HTTP
client and credentials. No Qt: the window runs these calls in the background.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from terrain_desktop.sync.client import ApiClient
from terrain_protocol.auth import SuccessResponse
from terrain_protocol.catalogue import (
    ArtistModelsResponse,
    ArtistOut,
    ArtistResponse,
    ArtistTablesResponse,
    AssetListResponse,
    AssetOut,
    AssetResponse,
    SearchSort,
    SetDetail,
    SetListResponse,
    SetResponse,
)
from terrain_protocol.library import AddAssetRequest, AddSetRequest, AddSetResponse
from terrain_protocol.tables import TableOut

#: Assets per page of results: a screenful of thumbnails and a little more.
PAGE_SIZE = 24
#: The server pages no further than this offset (`/api/library/assets`).
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class CatalogueQuery:
    """What the user asked the catalogue for; empty fields filter nothing."""

    text: str = ""
    category: str | None = None
    tags: tuple[str, ...] = ()
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: SearchSort | None = None

    def params(self, offset: int, limit: int) -> dict[str, str]:
        params = {"limit": str(limit), "offset": str(offset)}
        if self.text.strip():
            params["q"] = self.text.strip()[:200]
        if self.category:
            params["category"] = self.category
        if self.tags:
            params["tags"] = ",".join(self.tags)
        if self.min_price is not None:
            params["min_price"] = str(self.min_price)
        if self.max_price is not None:
            params["max_price"] = str(self.max_price)
        if self.sort:
            params["sort"] = self.sort
        return params


@dataclass(frozen=True)
class ArtistProfile:
    artist: ArtistOut
    models: list[AssetOut]
    tables: list[TableOut]


class CatalogueClient:
    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def search(
        self, query: CatalogueQuery, offset: int = 0, limit: int = PAGE_SIZE
    ) -> AssetListResponse:
        path = f"/api/library/assets?{urlencode(query.params(offset, limit))}"
        return self.client.call("GET", path, None, AssetListResponse)

    def asset(self, asset_id: uuid.UUID) -> AssetOut:
        return self.client.call("GET", f"/api/library/assets/{asset_id}", None, AssetResponse).asset

    def artist(self, artist_id: uuid.UUID) -> ArtistProfile:
        """The artist's public profile, published models and public tables."""
        base = f"/api/artists/{artist_id}"
        artist = self.client.call("GET", base, None, ArtistResponse).artist
        models = self.client.call("GET", f"{base}/models", None, ArtistModelsResponse).models
        tables = self.client.call("GET", f"{base}/tables", None, ArtistTablesResponse).tables
        return ArtistProfile(artist, models, tables)

    def sets(self, offset: int = 0, limit: int = 50) -> SetListResponse:
        path = f"/api/library/sets?{urlencode({'limit': limit, 'offset': offset})}"
        return self.client.call("GET", path, None, SetListResponse)

    def curated_set(self, set_id: uuid.UUID) -> SetDetail:
        return self.client.call("GET", f"/api/library/sets/{set_id}", None, SetResponse).set

    def add_asset(self, table_id: str, asset_id: uuid.UUID) -> None:
        """Into the table's library on the server (already there is fine)."""
        body = AddAssetRequest(asset_id=asset_id)
        path = f"/api/tables/{table_id}/library/assets"
        self.client.call("POST", path, body, SuccessResponse, idempotent=True)

    def add_set(self, table_id: str, set_id: uuid.UUID) -> AddSetResponse:
        body = AddSetRequest(set_id=set_id)
        path = f"/api/tables/{table_id}/library/sets"  # repeatable: what is there stays there
        return self.client.call("POST", path, body, AddSetResponse, idempotent=True)

    def download(self, path: str) -> bytes:
        """A file the API serves (a thumbnail or display mesh), retried like every call."""
        return self.client.response("GET", path).content
