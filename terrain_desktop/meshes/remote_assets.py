"""The server's assets as library assets: what the mesh cache knows of them, and their mesh
on disk when it has arrived (else a path that is no file, which the view draws as a
placeholder of the asset's size).

The catalogue browser keeps its own records (and the meshes its previews fetched); what it
knows is taken into the mesh cache here, so every table draws a server asset from one
content-addressed copy and the downloads on demand know it already.
"""

from collections.abc import Iterator
from pathlib import Path

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.store.mesh_cache import (
    DRAWN_TRIANGLES,
    AssetInfo,
    DisplayMeshCache,
    DownloadRejected,
)

#: Colours by category, as the bundled library paints them; others get `DEFAULT_COLOUR`.
CATEGORY_COLOURS = {
    "hills": "#84a05f",
    "ruins": "#a19a8f",
    "scatter": "#96703f",
    "forest": "#456f3b",
    "rocks": "#85827b",
    "containers": "#6f7f8c",
    "buildings": "#c2a98a",
}
DEFAULT_COLOUR = "#a89f91"
#: The size assumed for a placeholder when the server never said how big the asset is.
UNKNOWN_SIZE = (25.0, 25.0, 25.0)


def remote_asset(
    cache: DisplayMeshCache, asset_id: str, browsed: LibraryAsset | None = None
) -> LibraryAsset | None:
    """None for an asset neither the cache nor the browser (`browsed`) has heard of."""
    info = cache.info(asset_id)
    if info is None and browsed is not None:
        info = AssetInfo(
            asset_id, browsed.name, browsed.category, browsed.tags, browsed.size_mm, browsed.price
        )
        cache.remember(info)
    if info is None:
        return None
    mesh = cache.path(asset_id) or _adopt(cache, asset_id, browsed)
    tiers = tuple(cache.tier_paths(asset_id, DRAWN_TRIANGLES))
    thumbnail = cache.thumbnail_path(asset_id)
    if browsed is not None and not thumbnail.is_file():
        thumbnail = browsed.thumbnail_path
    return LibraryAsset(
        id=asset_id,
        name=info.name,
        category=info.category,
        tags=info.tags,
        size_mm=info.size_mm or UNKNOWN_SIZE,
        mesh_path=mesh,
        thumbnail_path=thumbnail,
        colour=CATEGORY_COLOURS.get(info.category, DEFAULT_COLOUR),
        price=info.price,
        tier_paths=tiers if tiers and tiers[0] == mesh else (),
        preview=not info.full_access,
    )


def _adopt(cache: DisplayMeshCache, asset_id: str, browsed: LibraryAsset | None) -> Path:
    """The browser's copy of the mesh, stored by content (checked like a download); else the
    path where the mesh is missing."""
    if browsed is not None and browsed.mesh_path.is_file():
        try:
            return cache.add(asset_id, _chunks(browsed.mesh_path))
        except (OSError, DownloadRejected):
            pass  # damaged or gone: it is downloaded instead
    return cache.missing_path(asset_id)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            yield chunk
