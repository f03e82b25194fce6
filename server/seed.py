"""Sample data for a fresh database: the bundled sample library published by two artists, a
few curated sets, and (only when asked for) demo accounts one can sign in with.

Without `demo` the artists who own the sample library have no password: nobody can sign in
as them, so a production server can carry the sample library safely. With `demo`, every demo
account gets a newly generated password, printed once; no password is ever fixed in code.

Running it again adds nothing twice: users are matched by e-mail, assets by content hash (the
upload pipeline's own deduplication), sets by name among the seeded curators.
"""

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.db.models import Asset, AssetSet, SetAsset, User
from server.jobs.context import WorkerContext
from server.services import asset_processing, uploads
from server.services.passwords import hash_password
from server.settings import Settings
from server.storage import Storage
from terrain_meshes.formats import Units
from terrain_protocol.catalogue import sample_asset_id
from terrain_protocol.plans import Role

SAMPLE_LIBRARY = Path(__file__).resolve().parents[1] / "resources" / "sample_library"


@dataclass(frozen=True)
class DemoUser:
    key: str
    email: str
    display_name: str
    role: Role
    artist_name: str | None = None
    artist_bio: str | None = None
    commission_rate: Decimal = Decimal("0.70")
    #: Made without `demo` too: the sample library needs its artists.
    publishes: bool = False


DEMO_USERS = [
    DemoUser("admin", "admin@terrain.example.com", "Admin", Role.ADMIN),
    DemoUser(
        "forge",
        "forge@terrain.example.com",
        "Mara Forge",
        Role.ARTIST,
        artist_name="Forgeworks Terrain",
        artist_bio="Ruins, walls and fortifications for 28-32 mm skirmish games.",
        publishes=True,
    ),
    DemoUser(
        "wilds",
        "wilds@terrain.example.com",
        "Tomas Reed",
        Role.ARTIST,
        artist_name="Wildlands Studio",
        artist_bio="Hills, rocks and forests that print without supports.",
        commission_rate=Decimal("0.75"),
        publishes=True,
    ),
    DemoUser("player", "player@terrain.example.com", "Sam Player", Role.CUSTOMER),
]

#: Curated sets: (curator, name, description, sample slugs).
DEMO_SETS = [
    (
        "forge",
        "Ruined city",
        "Broken walls, a tower and the clutter of a fallen town.",
        [
            "ruined-wall",
            "ruined-corner",
            "ruined-tower",
            "crate-stack",
            "barrel-cluster",
            "barricade",
        ],
    ),
    (
        "wilds",
        "Wild lands",
        "Hills, woods and rocks for open battlefields.",
        [
            "rolling-hill",
            "steep-hill",
            "long-ridge",
            "small-wood",
            "pine-tree",
            "oak-tree",
            "rock-cluster",
            "boulder",
        ],
    ),
    (
        "forge",
        "Starter table",
        "One of everything to dress a first table.",
        [
            "rolling-hill",
            "ruined-wall",
            "small-wood",
            "rock-cluster",
            "farmhouse",
            "shipping-container",
            "barrel",
            "wooden-crate",
        ],
    ),
]


def sample_catalogue() -> list[dict[str, Any]]:
    pieces: list[dict[str, Any]] = json.loads((SAMPLE_LIBRARY / "catalogue.json").read_text())[
        "pieces"
    ]
    return pieces


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _users(
    db: Session, demo_accounts: bool, report: Callable[[str], None]
) -> tuple[dict[str, User], int]:
    added = 0
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        if not (demo.publishes or demo_accounts):
            continue
        user = db.scalar(select(User).where(User.email == demo.email))
        if user is None:
            user = User(
                email=demo.email,
                password_hash=None,
                display_name=demo.display_name,
                role=demo.role.value,
                artist_name=demo.artist_name,
                artist_bio=demo.artist_bio,
                commission_rate=demo.commission_rate,
            )
            db.add(user)
            db.commit()
            added += 1
            report(f"  added   user  {demo.email} ({demo.role.value})")
        if demo_accounts:
            password = new_password()
            user.password_hash = hash_password(password)
            db.commit()
            report(f"  sign in as {demo.email} ({demo.role.value}) with password {password}")
        users[demo.key] = user
    return users, added


def _assets(
    db: Session,
    storage: Storage,
    settings: Settings,
    users: dict[str, User],
    report: Callable[[str], None],
) -> tuple[dict[str, Asset], int]:
    added = 0
    assets: dict[str, Asset] = {}
    context = WorkerContext(settings, sessionmaker(bind=db.get_bind()), storage)
    for piece in sample_catalogue():
        metadata = uploads.Metadata(
            name=piece["name"],
            description=f"{piece['name']} for 28-32 mm tabletop games.",
            category=piece["category"],
            tags=piece["tags"],
            units=Units.MM,
        )
        now = datetime.now(UTC)
        with (SAMPLE_LIBRARY / piece["mesh"]).open("rb") as source:
            result = uploads.ingest(
                db,
                storage,
                users[piece["artist"]],
                source,
                piece["mesh"],
                metadata,
                settings,
                now,
                asset_id=sample_asset_id(piece["slug"]),
            )
        asset = result.asset
        if asset.processing_state == "processing":  # our own files: processed right here
            asset_processing.process_trusted(asset.id, Units.MM.value, context)
            db.refresh(asset)
        if asset.status != "published":
            asset.status = "published"
            asset.base_price = Decimal(piece["price"])
            asset.published_at = now
            db.commit()
            added += 1
            report(f"  added   asset {piece['name']}")
        assets[piece["slug"]] = asset
    return assets, added


def _sets(
    db: Session, users: dict[str, User], assets: dict[str, Asset], report: Callable[[str], None]
) -> int:
    added = 0
    for curator_key, name, description, slugs in DEMO_SETS:
        curator = users[curator_key]
        curators = [u.id for u in users.values()]
        exists = db.scalar(
            select(AssetSet.id).where(AssetSet.curator_id.in_(curators), AssetSet.name == name)
        )
        if exists is not None:
            continue
        asset_set = AssetSet(curator_id=curator.id, name=name, description=description)
        db.add(asset_set)
        db.flush()
        for position, slug in enumerate(slugs):
            db.add(SetAsset(set_id=asset_set.id, asset_id=assets[slug].id, position=position))
        db.commit()
        added += 1
        report(f"  added   set   {name} ({len(slugs)} assets)")
    return added


def seed(
    db: Session,
    storage: Storage,
    settings: Settings,
    report: Callable[[str], None],
    *,
    demo_accounts: bool = False,
) -> int:
    """Insert whatever sample data is missing; returns how many records were added."""
    users, added_users = _users(db, demo_accounts, report)
    assets, added_assets = _assets(db, storage, settings, users, report)
    added_sets = _sets(db, users, assets, report)
    if demo_accounts:
        from server.demo_payments import connect_demo_artists

        connect_demo_artists(db, users.values(), settings, report)
    return added_users + added_assets + added_sets
