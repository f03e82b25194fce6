"""The catalogue's files on disk: thumbnails, display meshes and what we know of each asset.

A file is named by its asset id and the asset's `updated_at`, so an edited asset gets new
files and an unchanged one is never fetched twice, across runs and tables. Writes go to a
temporary file first and are renamed into place, so a reader (another thread, another run)
never sees half a file. No Qt: the browser reads and fills it from background work.

What we know of an asset (its catalogue record) is kept too, so that assets added to a
table's library show in the drawer offline, as `LibraryAsset`s.
"""

import os
import tempfile
import uuid
from pathlib import Path

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_protocol.catalogue import AssetOut

#: Pieces from the server's catalogue are drawn in this colour (their meshes carry none).
CATALOGUE_COLOUR = "#b8a58a"


def _stamp(asset: AssetOut) -> str:
    return f"{asset.id}-{int(asset.updated_at.timestamp() * 1_000_000):x}"


def _write(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".") as handle:
        handle.write(data)
    os.replace(handle.name, target)
    return target


class CatalogueCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, LibraryAsset | None] = {}

    def forget(self) -> None:
        """Read the records from disk again (another part of the app has remembered more)."""
        self._known.clear()

    # -- files ---------------------------------------------------------------------------------

    def thumbnail_path(self, asset: AssetOut) -> Path:
        return self.root / "thumbnails" / f"{_stamp(asset)}.png"

    def display_path(self, asset: AssetOut) -> Path:
        return self.root / "meshes" / f"{_stamp(asset)}.glb"

    def cached_thumbnail(self, asset: AssetOut) -> Path | None:
        path = self.thumbnail_path(asset)
        return path if path.is_file() else None

    def cached_display(self, asset: AssetOut) -> Path | None:
        path = self.display_path(asset)
        return path if path.is_file() else None

    def store_thumbnail(self, asset: AssetOut, data: bytes) -> Path:
        return _write(self.thumbnail_path(asset), data)

    def store_display(self, asset: AssetOut, data: bytes) -> Path:
        return _write(self.display_path(asset), data)

    # -- what we know of assets ----------------------------------------------------------------

    def _record_path(self, asset_id: uuid.UUID | str) -> Path:
        return self.root / "assets" / f"{uuid.UUID(str(asset_id))}.json"

    def remember(self, asset: AssetOut) -> None:
        _write(self._record_path(asset.id), asset.model_dump_json().encode())
        self._known.pop(str(asset.id), None)

    def record(self, asset_id: str) -> AssetOut | None:
        try:
            path = self._record_path(asset_id)
        except ValueError:
            return None
        if not path.is_file():
            return None
        return AssetOut.model_validate_json(path.read_bytes())

    def library_asset(self, asset_id: str) -> LibraryAsset | None:
        """A remembered catalogue asset as the drawer and the view use one."""
        if asset_id not in self._known:
            self._known[asset_id] = self._library_asset(asset_id)
        return self._known[asset_id]

    def _library_asset(self, asset_id: str) -> LibraryAsset | None:
        asset = self.record(asset_id)
        if asset is None:
            return None
        return LibraryAsset(
            id=str(asset.id),
            name=asset.name,
            category=asset.category or "other",
            tags=tuple(asset.tags),
            size_mm=(asset.width or 0.0, asset.depth or 0.0, asset.height or 0.0),
            mesh_path=self.display_path(asset),
            thumbnail_path=self.thumbnail_path(asset),
            colour=CATALOGUE_COLOUR,
            price=f"{asset.base_price:.2f}",
        )
