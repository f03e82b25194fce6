"""A legacy database of the original system, with rows covering every case the import handles."""

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
from sqlalchemy import create_engine, text

from tests.meshes import samples

SCHEMA = Path(__file__).with_name("legacy-schema.sql")
OLD_PASSWORD = "old legacy password"


def _id() -> uuid.UUID:
    return uuid.uuid4()


@dataclass(frozen=True)
class Legacy:
    """The ids of the interesting legacy rows, for the tests to look them up."""

    alice: uuid.UUID  # artist, Pro, bcrypt password, e-mail with capitals
    alice_twin: uuid.UUID  # same e-mail once lower-cased, signed up later
    bob: uuid.UUID  # a 'user' whose artist profile is only in `artists`
    carol: uuid.UUID  # a customer with more tables than the free plan allows
    hill: uuid.UUID  # published, good file
    wall: uuid.UUID  # draft, good file
    broken: uuid.UUID  # published, file is not a mesh
    missing: uuid.UUID  # published, file absent
    ghost_model: uuid.UUID  # named by a layout, never existed
    carol_tables: list[uuid.UUID]
    showcase: uuid.UUID
    good_order: uuid.UUID
    bad_total_order: uuid.UUID
    transfer: uuid.UUID


def create_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(SCHEMA.read_text())
    engine.dispose()


def _insert(connection: Any, table: str, **values: Any) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    params = {
        k: json.dumps(v) if isinstance(v, dict | list) and k != "tags" else v
        for k, v in values.items()
    }
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), params)


def _piece(model_id: uuid.UUID, x: float) -> dict[str, Any]:
    return {
        "id": str(_id()),
        "modelId": str(model_id),
        "x": x,
        "y": 100,
        "z": 0,
        "rotation": 90,
        "scale": 1,
    }


def fill(url: str, uploads: Path) -> Legacy:
    """Rows of every kind, and the upload directory their paths point into."""
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "models").mkdir(exist_ok=True)
    (uploads / "models" / "hill.stl").write_bytes(samples.export(samples.hill(60.0, 25.0), "stl"))
    (uploads / "models" / "wall.stl").write_bytes(
        samples.export(samples.hill(80.0, 40.0, 8), "stl")
    )
    (uploads / "models" / "broken.stl").write_bytes(b"this is not a mesh at all\n" * 10)
    ids = Legacy(
        alice=_id(),
        alice_twin=_id(),
        bob=_id(),
        carol=_id(),
        hill=_id(),
        wall=_id(),
        broken=_id(),
        missing=_id(),
        ghost_model=_id(),
        carol_tables=[_id() for _ in range(4)],
        showcase=_id(),
        good_order=_id(),
        bad_total_order=_id(),
        transfer=_id(),
    )
    hashed = bcrypt.hashpw(OLD_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    engine = create_engine(url)
    with engine.begin() as c:
        _insert(
            c,
            "users",
            id=ids.alice,
            email="Alice@Example.COM",
            password_hash=hashed,
            display_name="Alice",
            role="artist",
            artist_name="Alice Terrain",
            commission_rate="70.00",
            plan="pro",
            created_at="2024-01-01T00:00:00Z",
        )
        _insert(
            c,
            "users",
            id=ids.alice_twin,
            email=" alice@example.com",
            password_hash=hashed,
            display_name="Alice again",
            created_at="2024-06-01T00:00:00Z",
        )
        _insert(
            c,
            "users",
            id=ids.bob,
            email="bob@example.com",
            password_hash=hashed,
            display_name="Bob",
            role="user",
            commission_rate="60.00",
        )
        _insert(
            c,
            "artists",
            user_id=ids.bob,
            display_name="Bob Builds",
            bio="Walls, mostly.",
            website="https://bob.example.com",
        )
        _insert(
            c,
            "users",
            id=ids.carol,
            email="carol@example.com",
            password_hash=None,
            display_name="Carol",
            plan="free",
        )
        _insert(
            c,
            "models",
            id=ids.hill,
            artist_id=ids.alice,
            name="Rolling hill",
            category="hills",
            tags=["hill", "grass"],
            stl_file_path="models/hill.stl",
            width="60",
            depth="60",
            height="25",
            base_price="4.50",
            status="published",
            published_at="2024-02-01T00:00:00Z",
            view_count=7,
        )
        _insert(
            c,
            "models",
            id=ids.wall,
            artist_id=ids.bob,
            name="Stone wall",
            stl_file_path="models/wall.stl",
            width="10",
            depth="10",
            height="10",
            base_price="10.00",
            status="draft",
        )
        _insert(
            c,
            "models",
            id=ids.broken,
            artist_id=ids.alice,
            name="Broken ruin",
            stl_file_path="models/broken.stl",
            base_price="3.00",
            status="published",
        )
        _insert(
            c,
            "models",
            id=ids.missing,
            artist_id=ids.bob,
            name="Lost tower",
            stl_file_path="models/tower.stl",
            base_price="8.00",
            status="published",
        )
        _insert(c, "favorites", user_id=ids.carol, model_id=ids.hill)
        _insert(c, "favorites", user_id=ids.carol, model_id=ids.broken)
        codes = ["ABCDEF0123456789", "bad", "abcdef0123456789", None]
        for index, (table_id, code) in enumerate(zip(ids.carol_tables, codes, strict=True)):
            pieces = [_piece(ids.hill, 100)]
            if index == 0:
                pieces.append(_piece(ids.ghost_model, 300))
            _insert(
                c,
                "user_tables",
                id=table_id,
                user_id=ids.carol,
                name=f"Carol's table {index + 1}",
                layout={"models": pieces},
                is_public=index == 0,
                share_code=code,
                created_at=f"2024-0{index + 1}-01T00:00:00Z",
            )
        _insert(
            c,
            "example_tables",
            id=ids.showcase,
            artist_id=ids.alice,
            name="Alice's hills",
            width=1800,
            depth=1200,
            layout={"models": [_piece(ids.hill, 500), _piece(ids.wall, 900)]},
        )
        _insert(
            c,
            "orders",
            id=ids.good_order,
            order_number="ORD-1001",
            user_id=ids.carol,
            items=[{"model_id": str(ids.hill), "quantity": 2, "price": 4.5}],
            subtotal="9.00",
            shipping_cost="5.00",
            tax="0.00",
            total="14.00",
            status="shipped",
            shipping_address={
                "name": "Carol",
                "line1": "1 Main St",
                "city": "Springfield",
                "postal_code": "12345",
                "country": "US",
            },
            paid_at="2024-03-01T00:00:00Z",
        )
        _insert(
            c,
            "orders",
            id=ids.bad_total_order,
            order_number="ORD-1002",
            user_id=ids.carol,
            items=[{"model_id": str(ids.wall), "quantity": 1, "price": 10}],
            subtotal="12.00",
            shipping_cost="0.00",
            tax="0.00",
            total="12.00",
            status="paid",
        )
        _insert(
            c,
            "stripe_transfers",
            id=ids.transfer,
            order_id=ids.good_order,
            artist_id=ids.alice,
            amount="6.30",
            stripe_transfer_id="tr_legacy_1",
        )
    engine.dispose()
    return ids
