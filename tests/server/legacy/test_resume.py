"""An import that stops half-way (a crash between batches) carries on where it stopped."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Asset, GameTable, LegacyImport, Order
from server.legacy.report import Report
from server.legacy.run import run
from server.settings import Settings
from server.storage import LocalStorage
from tests.server.legacy.conftest import LegacySource


class Crash(Exception):
    pass


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_crashed_import_resumes_after_the_last_committed_batch(
    settings: Settings, legacy: LegacySource, db: Session
) -> None:
    storage = LocalStorage(Path(settings.storage_dir))
    now = datetime.now(UTC)

    def crash_after_first_model_batch(table: str, _: Report) -> None:
        if table == "models":
            raise Crash

    with pytest.raises(Crash):
        run(
            legacy.url,
            legacy.uploads,
            settings,
            storage,
            now,
            batch_scale=0.02,
            after_batch=crash_after_first_model_batch,
        )
    assert count(db, Asset) == 1 and count(db, GameTable) == 0  # one committed model batch

    resumed = run(legacy.url, legacy.uploads, settings, storage, now, batch_scale=0.02)

    assert resumed.counts["user"]["skipped"] == 4
    assert resumed.counts["model"]["skipped"] == 1
    assert resumed.counts["model"]["imported"] + resumed.counts["model"]["failed"] == 3
    db.expire_all()
    assert count(db, Asset) == 4  # no duplicate or leftover rows from the crash
    assert count(db, GameTable) == 5 and count(db, Order) == 2
    assert count(db, LegacyImport) == 4 + 4 + 2 + 4 + 1 + 2 + 1
