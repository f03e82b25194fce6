"""`terrain-server import-legacy` against a database built from the original system's schema."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.db.models import (
    Asset,
    Base,
    Favorite,
    GameTable,
    LegacyImport,
    Order,
    OrderItem,
    Payment,
    TableAsset,
    User,
)
from server.settings import Settings
from tests.server.legacy.conftest import LegacySource, import_legacy, run_worker
from tests.server.legacy.legacy_data import OLD_PASSWORD


def snapshot(db: Session) -> dict[str, list[Any]]:
    """Every row of every table, to compare before and after."""
    db.expire_all()
    return {
        table.name: [
            tuple(r) for r in db.execute(text(f"SELECT * FROM {table.name} ORDER BY 1, 2"))
        ]
        for table in Base.metadata.sorted_tables
    }


def test_every_case_imports_with_the_expected_report(
    settings: Settings, legacy: LegacySource, db: Session, tmp_path: Path
) -> None:
    ids = legacy.ids
    run = import_legacy(settings, legacy, tmp_path / "report.json")

    assert run.counts("user") == {"imported": 4, "updated": 0, "skipped": 0, "failed": 0}
    assert run.counts("model") == {"imported": 2, "updated": 0, "skipped": 0, "failed": 2}
    assert run.counts("favorite")["imported"] == 2
    assert run.counts("user_table")["imported"] == 4
    assert run.counts("example_table")["imported"] == 1
    assert run.counts("order")["imported"] == 2
    assert run.counts("transfer")["imported"] == 1
    assert run.issue_codes(ids.alice_twin) == ["email_collision"]
    assert run.issue_codes(ids.broken) == ["file_failed"]
    assert run.issue_codes(ids.missing) == ["file_failed"]
    assert run.issue_codes(ids.wall) == []
    assert run.issue_codes(ids.carol_tables[0]) == ["unknown_model"]
    assert run.issue_codes(ids.carol_tables[1]) == ["share_code_replaced"]
    assert run.issue_codes(ids.carol_tables[2]) == ["share_code_replaced"]
    assert run.issue_codes(ids.carol) == ["over_plan_limit"]
    assert run.issue_codes(ids.bad_total_order) == ["subtotal_mismatch"]
    assert run.issue_codes(ids.good_order) == []
    assert "Report saved to" in run.output and "email_collision" in run.output
    assert run.report["pending_processing"] == 2 and "queued for processing" in run.output
    assert "Ran 2 job(s)" in run_worker(settings)

    alice, twin, bob = (db.get(User, i) for i in (ids.alice, ids.alice_twin, ids.bob))
    assert alice and twin and bob
    assert alice.email == "alice@example.com" and alice.plan == "pro"
    assert twin.email.endswith("@legacy.invalid")  # reported, not merged
    assert (bob.role, bob.artist_name, bob.artist_bio) == ("artist", "Bob Builds", "Walls, mostly.")
    assert bob.artist_url == "https://bob.example.com" and bob.commission_rate == Decimal("0.6")

    hill = db.get(Asset, ids.hill)
    assert hill and hill.status == "published" and hill.base_price == Decimal("4.50")
    assert hill.processing_state == "ready"
    assert hill.dimensions_mm and round(hill.dimensions_mm["z"]) == 25  # measured
    storage = Path(settings.storage_dir)
    for key in (hill.file_ref, hill.glb_file_path, hill.thumbnail_path):
        assert key and (storage / key).is_file()
    wall = db.get(Asset, ids.wall)
    assert wall and wall.status == "draft" and wall.dimensions_mm
    assert wall.dimensions_mm["z"] > 10  # the legacy row's 10 mm was not trusted
    for failed in (ids.broken, ids.missing):
        asset = db.get(Asset, failed)
        assert asset and asset.status == "draft" and asset.file_ref is None
        assert asset.processing_state == "failed" and asset.processing_error
        row = db.get(LegacyImport, ("model", str(failed)))
        assert row and row.outcome == "failed" and row.reason
    assert db.get(Favorite, (ids.carol, ids.hill)) is not None

    first = db.get(GameTable, ids.carol_tables[0])
    assert first and first.share_code == "ABCDEF0123456789" and first.is_public
    assert [p["modelId"] for p in first.layout["models"]] == [str(ids.hill)]
    assert db.get(TableAsset, (first.id, ids.hill)) is not None
    codes = {db.get(GameTable, t).share_code for t in ids.carol_tables}  # type: ignore[union-attr]
    assert len(codes) == 4
    showcase = db.get(GameTable, ids.showcase)
    assert showcase and showcase.user_id == ids.alice and showcase.is_public
    assert showcase.width == 1800 and len(showcase.layout["models"]) == 2

    order = db.get(Order, ids.good_order)
    assert order and order.status == "fulfilled" and order.total == Decimal("14.00")
    assert order.customer_email == "carol@example.com" and order.shipping_city == "Springfield"
    (line,) = db.scalars(select(OrderItem).where(OrderItem.order_id == ids.good_order))
    assert (line.quantity, line.unit_price, line.subtotal) == (2, Decimal("4.50"), Decimal("9.00"))
    assert line.artist_id == ids.alice and line.artist_commission_amount == Decimal("6.30")
    payment = db.get(Payment, ids.transfer)
    assert payment and payment.payment_method == "stripe_transfer"
    assert payment.amount == Decimal("6.30") and payment.stripe_transfer_id == "tr_legacy_1"


def test_dry_run_prints_the_full_report_and_writes_nothing(
    settings: Settings, legacy: LegacySource, db: Session, tmp_path: Path
) -> None:
    before = snapshot(db)
    run = import_legacy(settings, legacy, tmp_path / "dry.json", "--dry-run")

    assert run.report["dry_run"] is True and "DRY RUN" in run.output
    assert run.counts("user")["imported"] == 4
    assert run.counts("model") == {"imported": 2, "updated": 0, "skipped": 0, "failed": 2}
    assert run.issue_codes(legacy.ids.bad_total_order) == ["subtotal_mismatch"]
    assert run.issue_codes(legacy.ids.carol) == ["over_plan_limit"]
    assert snapshot(db) == before
    storage = Path(settings.storage_dir)
    assert not storage.exists() or not [p for p in storage.rglob("*") if p.is_file()]


def test_a_second_run_changes_nothing_and_says_so(
    settings: Settings, legacy: LegacySource, db: Session, tmp_path: Path
) -> None:
    import_legacy(settings, legacy, tmp_path / "first.json")
    after_first = snapshot(db)

    again = import_legacy(settings, legacy, tmp_path / "second.json")

    assert again.report["changed"] == 0
    assert "Nothing changed" in again.output
    assert again.counts("model") == {"imported": 0, "updated": 0, "skipped": 4, "failed": 0}
    assert again.counts("order") == {"imported": 0, "updated": 0, "skipped": 2, "failed": 0}
    assert snapshot(db) == after_first


def test_a_legacy_user_signs_in_with_the_old_password_and_the_hash_is_upgraded(
    settings: Settings, legacy: LegacySource, db: Session, client: TestClient, tmp_path: Path
) -> None:
    import_legacy(settings, legacy, tmp_path / "report.json")
    user = db.get(User, legacy.ids.alice)
    assert user and user.password_hash and user.password_hash.startswith("$2")

    wrong = client.post(
        "/api/auth/login", json={"email": "alice@example.com", "password": "not it at all"}
    )
    assert wrong.status_code == 401
    signed_in = client.post(
        "/api/auth/login", json={"email": "Alice@Example.com", "password": OLD_PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    db.expire_all()
    upgraded = db.get(User, legacy.ids.alice)
    assert upgraded and upgraded.password_hash and upgraded.password_hash.startswith("$argon2")
    again = client.post(
        "/api/auth/login", json={"email": "alice@example.com", "password": OLD_PASSWORD}
    )
    assert again.status_code == 200

    # The legacy row changes (e.g. an import before cut-over, then another at cut-over): the
    # profile follows it, but the password upgraded here is not put back to the old hash.
    with legacy_engine(legacy) as connection:
        connection.execute(
            text("UPDATE users SET display_name = 'Alice B.' WHERE id = :id"),
            {"id": legacy.ids.alice},
        )
    rerun = import_legacy(settings, legacy, tmp_path / "rerun.json")
    assert rerun.counts("user") == {"imported": 0, "updated": 1, "skipped": 3, "failed": 0}
    db.expire_all()
    changed = db.get(User, legacy.ids.alice)
    assert changed and changed.display_name == "Alice B."
    assert changed.password_hash and changed.password_hash.startswith("$argon2")


def legacy_engine(legacy: LegacySource) -> Any:
    from sqlalchemy import create_engine

    return create_engine(legacy.url).begin()
