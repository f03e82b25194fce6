"""A legacy layout too deep to read or to keep is one reported row: the import (and its dry
run) carries on with every other row."""

import json
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from server.db.models import GameTable
from server.settings import Settings
from tests.server.legacy.conftest import LegacySource, import_legacy


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def add_tables(legacy: LegacySource) -> tuple[uuid.UUID, uuid.UUID]:
    """Carol's table nested 10,000 deep (about what PostgreSQL itself accepts) and one whose
    extra `grid` key nests 20 levels (readable, deeper than a layout may keep)."""
    too_deep, deep_extra = uuid.uuid4(), uuid.uuid4()
    piece = {"id": "p", "modelId": str(legacy.ids.hill), "x": 10, "y": 20}
    layouts = {
        too_deep: '{"models": [], "grid": ' + deep(10_000) + "}",
        deep_extra: '{"models": [' + json.dumps(piece) + '], "grid": ' + deep(20) + "}",
    }
    engine = create_engine(legacy.url)
    with engine.begin() as connection:
        for table_id, layout in layouts.items():
            connection.execute(
                text(
                    "INSERT INTO user_tables (id, user_id, name, layout) "
                    "VALUES (:id, :user_id, 'Deep', CAST(:layout AS jsonb))"
                ),
                {"id": table_id, "user_id": legacy.ids.carol, "layout": layout},
            )
    engine.dispose()
    return too_deep, deep_extra


def test_a_deeply_nested_layout_is_a_reported_row_and_the_run_goes_on(
    settings: Settings, legacy: LegacySource, db: Session, tmp_path: Path
) -> None:
    too_deep, deep_extra = add_tables(legacy)

    dry = import_legacy(settings, legacy, tmp_path / "dry.json", "--dry-run")
    assert dry.issue_codes(too_deep) == ["invalid_layout"]
    assert dry.issue_codes(deep_extra) == ["invalid_layout"]
    assert dry.counts("user_table")["imported"] == 6
    assert dry.counts("order")["imported"] == 2  # later phases ran too

    real = import_legacy(settings, legacy, tmp_path / "real.json")
    [unread] = [i for i in real.report["issues"] if i["legacy_id"] == str(too_deep)]
    assert "nested" in unread["message"]
    assert real.counts("user_table")["imported"] == 6
    emptied, trimmed = db.get(GameTable, too_deep), db.get(GameTable, deep_extra)
    assert emptied is not None and emptied.layout == {"models": []}
    assert trimmed is not None and [p["id"] for p in trimmed.layout["models"]] == ["p"]
    assert "grid" not in trimmed.layout
