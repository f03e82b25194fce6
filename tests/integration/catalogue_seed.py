"""A small real catalogue on the live server's database and storage: an artist, published
assets with the sample library's real display meshes and thumbnails, and a curated set.

The assets get fresh ids and names of their own, so they are never mistaken for the bundled
sample library the desktop already holds.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from server.db.models import Asset, AssetSet, SetAsset, User
from server.services import catalogue
from server.settings import Settings
from server.storage import LocalStorage
from tests.server.ladders import give_ladder

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "sample_library"

#: (name, sample slug, category, tags, price): "Powder Barrel" is what the typo search finds.
NAMED = [
    ("Powder Barrel", "barrel", "scatter", ["barrel", "gunpowder"], "1.50"),
    ("Watchtower Ruin", "ruined-tower", "ruins", ["tower", "ruin"], "6.00"),
    ("Mossy Boulder", "boulder", "rocks", ["rock", "moss"], "0.00"),
    ("Cargo Crates", "crate-stack", "scatter", ["crate", "cargo"], "2.25"),
]
SET_NAME = "Harbour clutter"
SET_MEMBERS = ["Powder Barrel", "Cargo Crates", "Mossy Boulder"]


@dataclass(frozen=True)
class Seeded:
    artist_id: str
    assets: dict[str, str]  # name -> id
    set_id: str


def _dimensions(slug: str) -> dict[str, float]:
    pieces = json.loads((SAMPLES / "catalogue.json").read_text())["pieces"]
    piece = next(p for p in pieces if p["slug"] == slug)
    return dict(piece["dimensions_mm"])


def seed_catalogue(db: Session, settings: Settings, fillers: int = 0) -> Seeded:
    """The named assets, `fillers` more (to page through), and one set."""
    storage = LocalStorage(Path(settings.storage_dir))
    artist = User(
        email="harbour@example.com",
        display_name="Ada Harbour",
        role="artist",
        artist_name="Harbourside Miniatures",
        artist_bio="Docks, warehouses and the clutter between them.",
        artist_url="https://harbourside.example.com",
    )
    db.add(artist)
    db.flush()
    rows = [(n, slug, cat, tags, price) for n, slug, cat, tags, price in NAMED]
    rows += [
        (f"Filler Stone {i:03d}", "rock-cluster", "rocks", ["stone"], "1.00")
        for i in range(fillers)
    ]
    now = datetime.now(UTC)
    ids: dict[str, str] = {}
    for index, (name, slug, category, tags, price) in enumerate(rows):
        for suffix in ("glb", "png"):
            key = f"catalogue/{slug}.{suffix}"
            if not storage.exists(key):
                storage.put_file(key, SAMPLES / f"{slug}.{suffix}")
        asset = Asset(
            artist_id=artist.id,
            name=name,
            description=f"{name}, printed without supports.",
            category=category,
            tags=tags,
            base_price=Decimal(price),
            status="published",
            glb_file_path=f"catalogue/{slug}.glb",
            display_file_path=f"catalogue/{slug}.glb",
            thumbnail_path=f"catalogue/{slug}.png",
            dimensions_mm=_dimensions(slug),
            poly_count=1200 + index,
            published_at=now - timedelta(minutes=index),
        )
        catalogue.refresh_search_document(asset, artist)
        db.add(asset)
        db.flush()
        give_ladder(db, storage, asset, SAMPLES / f"{slug}.glb")
        ids[name] = str(asset.id)
    curated = AssetSet(curator_id=artist.id, name=SET_NAME, description="For any quayside.")
    db.add(curated)
    db.flush()
    for position, name in enumerate(SET_MEMBERS):
        db.add(SetAsset(set_id=curated.id, asset_id=ids[name], position=position))
    db.commit()
    return Seeded(str(artist.id), ids, str(curated.id))
