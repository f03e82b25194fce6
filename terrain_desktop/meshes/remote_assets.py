"""The server's assets as library assets: what the mesh cache knows of them, and their mesh
on disk when it has arrived (else a path that is no file, which the view draws as a
placeholder of the asset's size)."""

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.store.mesh_cache import DisplayMeshCache

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


def remote_asset(cache: DisplayMeshCache, asset_id: str) -> LibraryAsset | None:
    """None for an asset the cache has never heard of."""
    info = cache.info(asset_id)
    if info is None:
        return None
    mesh = cache.path(asset_id) or cache.missing_path(asset_id)
    return LibraryAsset(
        id=asset_id,
        name=info.name,
        category=info.category,
        tags=info.tags,
        size_mm=info.size_mm or UNKNOWN_SIZE,
        mesh_path=mesh,
        thumbnail_path=cache.thumbnail_path(asset_id),
        colour=CATEGORY_COLOURS.get(info.category, DEFAULT_COLOUR),
        price=info.price,
    )
