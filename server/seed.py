"""Demo data for a fresh database: an admin, two artists and a customer.

Running it again changes nothing; later features add their own demo rows here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import User
from server.services.passwords import hash_password
from terrain_protocol.plans import Role

#: Printed by `terrain-server seed`; demo accounts are for local use only.
DEMO_PASSWORD = "terrain-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: Role
    artist_name: str | None = None
    artist_bio: str | None = None
    commission_rate: Decimal = Decimal("0.70")


DEMO_USERS = [
    DemoUser("admin@terrain.example.com", "Admin", Role.ADMIN),
    DemoUser(
        "forge@terrain.example.com",
        "Mara Forge",
        Role.ARTIST,
        artist_name="Forgeworks Terrain",
        artist_bio="Ruins, walls and fortifications for 28-32 mm skirmish games.",
    ),
    DemoUser(
        "wilds@terrain.example.com",
        "Tomas Reed",
        Role.ARTIST,
        artist_name="Wildlands Studio",
        artist_bio="Hills, rocks and forests that print without supports.",
        commission_rate=Decimal("0.75"),
    ),
    DemoUser("player@terrain.example.com", "Sam Player", Role.CUSTOMER),
]


def seed(db: Session, report: Callable[[str], None]) -> int:
    """Insert the demo users that are missing; returns how many were added."""
    added = 0
    password_hash = hash_password(DEMO_PASSWORD)
    for demo in DEMO_USERS:
        if db.scalar(select(User.id).where(User.email == demo.email)) is not None:
            report(f"  exists  {demo.email}")
            continue
        db.add(
            User(
                email=demo.email,
                password_hash=password_hash,
                display_name=demo.display_name,
                role=demo.role.value,
                artist_name=demo.artist_name,
                artist_bio=demo.artist_bio,
                commission_rate=demo.commission_rate,
            )
        )
        added += 1
        report(f"  added   {demo.email} ({demo.role.value})")
    db.commit()
    return added
