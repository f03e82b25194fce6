"""The desktop's catalogue client and disk cache against the real server: filters reach the
search, thumbnails are fetched once and kept by asset and version, an unreachable server is
an error the browser can explain."""

import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from server.db.models import Asset
from server.settings import Settings
from terrain_desktop.sync.catalogue_cache import CatalogueCache
from terrain_desktop.sync.catalogue_client import CatalogueClient, CatalogueQuery
from terrain_desktop.sync.client import ApiClient, ApiUnavailable
from tests.integration.catalogue_seed import seed_catalogue
from tests.integration.conftest import LiveServer


class CountingTransport(httpx.BaseTransport):
    """The real HTTP transport, counting the requests per path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return self.inner.handle_request(request)


def names(client: CatalogueClient, query: CatalogueQuery) -> list[str]:
    return [a.name for a in client.search(query).assets]


def test_filters_and_sorts_reach_the_search(
    live: LiveServer, db: Session, settings: Settings
) -> None:
    seed_catalogue(db, settings)
    client = CatalogueClient(ApiClient(live.url))

    assert names(client, CatalogueQuery(text="barels")) == ["Powder Barrel"]  # a typo
    assert names(client, CatalogueQuery(category="scatter", sort="price")) == [
        "Powder Barrel",
        "Cargo Crates",
    ]
    assert names(client, CatalogueQuery(tags=("rock", "moss"))) == ["Mossy Boulder"]
    cheap = CatalogueQuery(min_price=Decimal("1.00"), max_price=Decimal("2.50"), sort="price_desc")
    assert names(client, cheap) == ["Cargo Crates", "Powder Barrel"]
    page = client.search(CatalogueQuery(sort="newest"), offset=1, limit=2)
    assert page.total == 4 and [a.name for a in page.assets] == ["Watchtower Ruin", "Mossy Boulder"]
    assert page.assets[0].base_price == Decimal("6.00")  # money stays Decimal
    client.client.close()


def test_thumbnails_are_fetched_once_per_version(
    live: LiveServer, db: Session, settings: Settings, tmp_path: Path
) -> None:
    seeded = seed_catalogue(db, settings)
    transport = CountingTransport()
    client = CatalogueClient(ApiClient(live.url, transport=transport))
    cache = CatalogueCache(tmp_path / "cache")
    barrel = client.asset(uuid.UUID(seeded.assets["Powder Barrel"]))

    assert cache.cached_thumbnail(barrel) is None
    assert barrel.thumbnail_url is not None
    path = cache.store_thumbnail(barrel, client.download(barrel.thumbnail_url))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cache.cached_thumbnail(barrel) == path  # the next page view reads the disk

    # The artist edits the asset: a new version, so a new file is fetched.
    row = db.get(Asset, barrel.id)
    assert row is not None
    row.name = "Powder Barrel (repainted)"
    db.commit()
    edited = client.asset(barrel.id)
    assert edited.updated_at > barrel.updated_at
    assert cache.cached_thumbnail(edited) is None

    cache.remember(edited)
    known = cache.library_asset(str(edited.id))
    assert known is not None and known.name == "Powder Barrel (repainted)"
    assert known.size_mm[0] == pytest.approx(edited.width)
    assert transport.paths.count(f"/api/library/assets/{barrel.id}/thumbnail") == 1
    client.client.close()


def test_an_unreachable_server_is_reported_not_hung(tmp_path: Path) -> None:
    client = CatalogueClient(ApiClient("http://127.0.0.1:1", retries=1, backoff=0.01))
    with pytest.raises(ApiUnavailable):
        client.search(CatalogueQuery(text="wall"))
    with pytest.raises(ApiUnavailable):
        client.download("/api/library/assets/00000000-0000-0000-0000-000000000000/thumbnail")
