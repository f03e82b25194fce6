"""The guide's rollback SQL removes exactly what the import created."""

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from server.db.models import (
    Asset,
    Favorite,
    GameTable,
    LegacyImport,
    Order,
    OrderItem,
    Payment,
    User,
)
from server.settings import Settings
from tests.conftest import REPO_ROOT
from tests.server.factories import register_artist
from tests.server.legacy.conftest import LegacySource, import_legacy, run_worker

GUIDE = REPO_ROOT / "docs" / "MIGRATION_GUIDE.md"


def guide_sql(marker: str) -> str:
    pattern = rf"<!-- {marker}:[^>]*-->\s*```sql\n(.*?)```"
    match = re.search(pattern, GUIDE.read_text(), re.S)
    assert match, f"the guide has a block marked <!-- {marker}: ... -->"
    return match.group(1)


def run_statements(engine: Engine, sql: str) -> list[list[tuple[object, ...]]]:
    """Each statement's rows (the verification queries are plain SELECTs)."""
    results = []
    raw = engine.raw_connection()  # as psql sends it: no parameter markers, so '%' is a '%'
    try:
        for statement in filter(str.strip, sql.split(";")):
            cursor = raw.cursor()
            cursor.execute(statement)
            results.append([tuple(r) for r in cursor.fetchall()])
        raw.rollback()
    finally:
        raw.close()
    return results


def test_the_guides_checks_agree_with_the_import(
    settings: Settings, legacy: LegacySource, engine: Engine, clean_database: None, tmp_path: Path
) -> None:
    import_legacy(settings, legacy, tmp_path / "report.json")
    run_worker(settings)
    source = create_engine(legacy.url)
    try:
        counts, transfers, totals = run_statements(source, guide_sql("verify-legacy-sql"))
    finally:
        source.dispose()
    ledger, *missing, failed, processing, unpublished, mismatched, paid, ordered, hashes = (
        run_statements(engine, guide_sql("verify-sql"))
    )
    imported = {kind: 0 for kind, *_ in ledger}
    for kind, _, number in ledger:
        imported[kind] += number
    legacy_counts = dict(counts)
    assert (
        imported["user"] == legacy_counts["users"] and imported["model"] == legacy_counts["models"]
    )
    assert imported["order"] == legacy_counts["orders"]
    assert missing == [[(0,)], [(0,)], [(0,)]]
    assert processing == [(0,)] and unpublished == [(0,)]
    assert sorted(asset_id for asset_id, _ in failed) == sorted(
        [legacy.ids.broken, legacy.ids.missing]
    )
    assert [number for number, *_ in mismatched] == ["ORD-1002"]
    assert paid == transfers and ordered == totals
    assert hashes == [(3,)]  # alice, her twin and bob; carol had no password


def test_the_guides_rollback_removes_what_the_import_created(
    settings: Settings,
    legacy: LegacySource,
    db: Session,
    engine: Engine,
    client: TestClient,
    tmp_path: Path,
) -> None:
    own = register_artist(client, db)
    import_legacy(settings, legacy, tmp_path / "report.json")
    assert db.scalar(select(func.count()).select_from(Asset)) == 4

    with engine.connect() as connection:
        connection.exec_driver_sql(guide_sql("rollback-sql"))
        connection.commit()

    db.expire_all()
    for model in (Asset, Favorite, GameTable, LegacyImport, Order, OrderItem, Payment):
        assert db.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    assert [u.email for u in db.scalars(select(User))] == [own["user"]["email"]]
