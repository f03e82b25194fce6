"""The server calls behind meshes on demand and the table library manager.

Display meshes stream (a big mesh is never held in memory whole) through the `ApiClient`'s
HTTP connection and headers, reporting bytes as they arrive; the rest are ordinary protocol
calls through `ApiClient.call`.
"""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from terrain_desktop.store.mesh_cache import AssetInfo, DisplayMeshCache, TierRef
from terrain_desktop.sync.client import ApiClient, ApiRefused, ApiUnavailable
from terrain_protocol.auth import SuccessResponse
from terrain_protocol.catalogue import AssetOut
from terrain_protocol.library import (
    AddSetRequest,
    AddSetResponse,
    LibraryEntryOut,
    LibraryResponse,
)

#: Bytes read from the network at a time (and between two progress reports).
CHUNK = 256 * 1024

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: Called with (bytes received, bytes in all or None when the server does not say).
BytesProgress = Callable[[int, int | None], None]

if TYPE_CHECKING:  # imported where a request is made (~0.1 s off every start-up)
    import httpx


class DownloadCancelled(Exception):
    """The caller asked to stop; nothing of the download was kept."""


def asset_info(asset: AssetOut | LibraryEntryOut) -> AssetInfo:
    dims = asset.dimensions_mm or {}
    size = (
        (float(dims["x"]), float(dims["y"]), float(dims["z"]))
        if all(isinstance(dims.get(k), int | float) for k in "xyz")
        else None
    )
    return AssetInfo(
        id=str(asset.id),
        name=asset.name,
        category=asset.category or "",
        tags=tuple(asset.tags),
        size_mm=size,
        price=str(asset.base_price),
        full_access=getattr(asset, "full_access", True),
    )


def tier_refs(asset: AssetOut) -> list[TierRef]:
    """The ladder the server lists for this caller, densest first."""
    return [TierRef(t.hash, t.triangles, t.bytes, t.url, t.preview) for t in asset.tiers]


def fetch_info(client: ApiClient, asset_id: str) -> AssetInfo:
    return asset_info(client.get_asset(uuid.UUID(asset_id)))


def fetch_asset(client: ApiClient, asset_id: str) -> AssetOut:
    """The asset as this device's account or session may have it (its tiers included)."""
    return client.get_asset(uuid.UUID(asset_id))


def table_library(client: ApiClient, table_id: str) -> list[LibraryEntryOut]:
    """The table's library as the server has it (every page)."""
    assets: list[LibraryEntryOut] = []
    while True:
        page = LibraryResponse.model_validate(
            client.request("GET", f"/api/tables/{table_id}/library?limit=200&offset={len(assets)}")
        )
        assets += page.assets
        if not page.assets or len(assets) >= page.total:
            return assets


def add_set(client: ApiClient, table_id: str, set_id: str) -> AddSetResponse:
    request = AddSetRequest(set_id=uuid.UUID(set_id))
    path = f"/api/tables/{table_id}/library/sets"  # repeatable: what is there stays there
    return client.call("POST", path, request, AddSetResponse, idempotent=True)


def restore_asset(client: ApiClient, table_id: str, asset_id: str) -> None:
    """Undo a removal on the server (410 `undo_expired` after the window closed)."""
    path = f"/api/tables/{table_id}/library/assets/{asset_id}/restore"
    client.call("POST", path, None, SuccessResponse, idempotent=True)  # restoring twice is once


def download_display(
    client: ApiClient,
    cache: DisplayMeshCache,
    asset_id: str,
    progress: BytesProgress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Fetch the asset's display mesh into the cache (a server without ladders). Raises
    `ApiUnavailable` (server not reachable, connection lost: nothing kept), `ApiRefused` (no
    such mesh), `DownloadCancelled`, or the cache's `DownloadRejected`."""
    path = f"/api/library/assets/{asset_id}/display"
    _stream(
        client, path, asset_id, lambda c, total: cache.add(asset_id, c, total), progress, cancelled
    )


def download_tier(
    client: ApiClient,
    cache: DisplayMeshCache,
    asset_id: str,
    tier: TierRef,
    top: int | None = None,
    progress: BytesProgress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Path:
    """Fetch one tier of the asset's ladder into the cache, checked against its listed hash;
    raises as `download_display` does."""
    return _stream(
        client,
        tier.url,
        asset_id,
        lambda chunks, _total: cache.add_tier(asset_id, tier, chunks, top),
        progress,
        cancelled,
    )


def _stream(
    client: ApiClient,
    path: str,
    asset_id: str,
    store: Callable[[Iterator[bytes], int | None], Path],
    progress: BytesProgress | None,
    cancelled: Callable[[], bool],
) -> Path:
    import httpx  # here, not at start-up: see sync/client.py

    try:
        with client.http.stream("GET", path, headers=client._headers()) as response:
            if response.status_code >= 400:
                response.read()
                _refuse(response)
            length = response.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None

            def chunks() -> Iterator[bytes]:
                done = 0
                for chunk in response.iter_bytes(CHUNK):
                    if cancelled():
                        raise DownloadCancelled(asset_id)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
                    yield chunk

            return store(chunks(), total)
    except httpx.TransportError as error:
        raise ApiUnavailable(f"GET {path}: {error}") from error


def download_thumbnail(client: ApiClient, cache: DisplayMeshCache, asset_id: str) -> bool:
    """Fetch the asset's thumbnail for the drawer; False when it has none (or it is not a
    PNG): the drawer then shows the piece without a picture."""
    import httpx

    path = f"/api/library/assets/{asset_id}/thumbnail"
    try:
        response = client.http.get(path, headers=client._headers())
    except httpx.TransportError as error:
        raise ApiUnavailable(f"GET {path}: {error}") from error
    if response.status_code != 200 or not response.content.startswith(PNG_MAGIC):
        return False
    cache.put_thumbnail(asset_id, response.content)
    return True


def _refuse(response: "httpx.Response") -> None:
    if response.status_code in (502, 503, 504):
        raise ApiUnavailable(f"the server answered {response.status_code}")
    try:
        body = response.json()
        code, message = str(body.get("code")), str(body.get("error"))
    except ValueError:
        code, message = "unknown", response.text[:200]
    raise ApiRefused(response.status_code, code, message)
