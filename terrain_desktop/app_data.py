"""Where the app keeps its data, and what a first launch finds there: a dressed sample table.

`TERRAIN_DESKTOP_DATA` overrides the platform's data directory (tests, portable installs).
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from terrain_desktop.app.preferences import SAMPLE_TABLE_CREATED, Preferences
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library, sample_asset_id

if TYPE_CHECKING:  # the store loads pydantic (the protocol): not before the window's first frame
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.store.mesh_cache import DisplayMeshCache

SAMPLE_TABLE_NAME = "Sample table"

#: The sample table's pieces: (slug, x, y, rotation) on a 1200 x 900 mm table.
SAMPLE_LAYOUT = [
    ("rolling-hill", 230, 680, 20),
    ("steep-hill", 950, 200, 0),
    ("long-ridge", 600, 820, 0),
    ("small-wood", 200, 230, 0),
    ("pine-tree", 1080, 760, 0),
    ("oak-tree", 420, 130, 0),
    ("ruined-tower", 640, 450, 0),
    ("ruined-wall", 760, 330, 90),
    ("ruined-corner", 520, 560, 0),
    ("farmhouse", 980, 520, 180),
    ("barricade", 330, 450, 30),
    ("crate-stack", 840, 640, 15),
    ("barrel-cluster", 700, 600, 0),
    ("rock-cluster", 110, 420, 0),
    ("boulder", 1120, 340, 0),
    ("shipping-container", 420, 330, 90),
    ("water-tank", 1020, 80, 0),
]


def data_dir() -> Path:
    return Path(os.environ.get("TERRAIN_DESKTOP_DATA") or user_data_dir("terrain-builder"))


def catalogue_cache_dir() -> Path:
    """Thumbnails, display meshes and records of the server's catalogue, shared by tables."""
    return data_dir() / "cache" / "catalogue"


def store_path() -> Path:
    return data_dir() / "terrain.sqlite"


def open_store() -> "LocalStore":
    from terrain_desktop.store.local_store import LocalStore

    return LocalStore(store_path())


def asset_lookup(asset_id: str) -> LibraryAsset | None:
    """The bundled library only; windows use a `Catalogue`, which knows imports too."""
    return bundled_library().get(asset_id)


class Catalogue:
    """Every asset this device can show: the bundled library, the user's own imports, and the
    server's assets it has heard of: from the catalogue browser (`remote`, its records) or a
    sync; their meshes in the shared, content-addressed mesh cache (`meshes`), or on the way."""

    def __init__(self, store: "LocalStore", meshes: "DisplayMeshCache | None" = None) -> None:
        from terrain_desktop.sync.catalogue_cache import CatalogueCache

        self.store = store
        self._meshes = meshes
        self.remote = CatalogueCache(catalogue_cache_dir())
        self.reload()

    @property
    def meshes(self) -> "DisplayMeshCache":
        """The content-addressed cache of server meshes, made on first use."""
        if self._meshes is None:
            from terrain_desktop.app.preferences import MESH_CACHE_LIMIT_MB
            from terrain_desktop.store.mesh_cache import DisplayMeshCache

            limit = Preferences(self.store).get(MESH_CACHE_LIMIT_MB) * 1024 * 1024
            self._meshes = DisplayMeshCache(limit_bytes=limit)
        return self._meshes

    def reload(self) -> None:
        from terrain_desktop.meshes.local_assets import local_asset

        self.imported = {row["id"]: local_asset(row) for row in self.store.local_assets()}
        self.remote.forget()
        self._remote: dict[str, LibraryAsset | None] = {}

    def forget(self, asset_id: str) -> None:
        """Look a server asset up again (its mesh or what is known of it changed)."""
        self._remote.pop(asset_id, None)

    def get(self, asset_id: str) -> LibraryAsset | None:
        found = bundled_library().get(asset_id) or self.imported.get(asset_id)
        if found is not None or not asset_id:
            return found
        if asset_id not in self._remote:
            from terrain_desktop.meshes.remote_assets import remote_asset

            browsed = self.remote.library_asset(asset_id)
            self._remote[asset_id] = remote_asset(self.meshes, asset_id, browsed)
        return self._remote[asset_id]


def ensure_sample_table(store: "LocalStore") -> None:
    """On first launch, make the sample table, dressed, with the whole bundled library."""
    preferences = Preferences(store)
    if preferences.get(SAMPLE_TABLE_CREATED):
        return
    library = bundled_library()
    pieces = [
        {
            "id": f"sample-{slug}",
            "modelId": sample_asset_id(slug),
            "x": x,
            "y": y,
            "rotation": rotation,
        }
        for slug, x, y, rotation in SAMPLE_LAYOUT
    ]
    # Kept here until first edited: an untouched sample never goes to the server, so signing
    # in on a second computer adds no second "Sample table" to the account.
    store.create_local_table(SAMPLE_TABLE_NAME, 1200, 900, pieces, list(library))
    preferences.set(SAMPLE_TABLE_CREATED, True)
