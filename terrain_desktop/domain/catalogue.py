"""The assets the editor can place: the bundled sample library and the user's own imports."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from terrain_protocol.sample_ids import sample_asset_id as protocol_sample_asset_id

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SAMPLE_LIBRARY = RESOURCES / "sample_library"


def sample_asset_id(slug: str) -> str:
    """Bundled assets have the ids the server publishes them under (see terrain_protocol)."""
    return str(protocol_sample_asset_id(slug))


@dataclass(frozen=True)
class LibraryAsset:
    id: str
    name: str
    category: str
    tags: tuple[str, ...]
    size_mm: tuple[float, float, float]
    mesh_path: Path
    thumbnail_path: Path
    colour: str
    price: str = "0.00"
    private: bool = False
    #: A server asset's ladder on disk, densest first (built by the server: drawn as it is).
    tier_paths: tuple[Path, ...] = ()
    #: Only the server's preview tiers are on this device: the model is not owned.
    preview: bool = False


@lru_cache(maxsize=1)
def bundled_library() -> dict[str, LibraryAsset]:
    data = json.loads((SAMPLE_LIBRARY / "catalogue.json").read_text())
    assets = {}
    for piece in data["pieces"]:
        dims = piece["dimensions_mm"]
        asset = LibraryAsset(
            id=sample_asset_id(piece["slug"]),
            name=piece["name"],
            category=piece["category"],
            tags=tuple(piece["tags"]),
            size_mm=(dims["x"], dims["y"], dims["z"]),
            mesh_path=SAMPLE_LIBRARY / piece["mesh"],
            thumbnail_path=SAMPLE_LIBRARY / piece["thumbnail"],
            colour=piece["colour"],
            price=piece["price"],
        )
        assets[asset.id] = asset
    return assets
