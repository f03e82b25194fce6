"""What the sync indicator and the plan line say, and the share code a user types, without a
window: the words are the product here."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from terrain_desktop.app import plans, sync_status
from terrain_desktop.app.sharing import ReadOnlyRecorder, SharedTable
from terrain_desktop.app.sync_status import SyncState, SyncStatus
from terrain_desktop.domain.piece import Batch
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_desktop.sync.client import ApiRefused, ApiUnavailable
from terrain_desktop.sync.sharing import normalise_code
from terrain_protocol.plans import TablePlan
from terrain_protocol.tables import TableOut


def test_the_indicator_says_where_sync_stands() -> None:
    assert SyncStatus(SyncState.NOT_CONNECTED).text == "Not syncing"
    assert SyncStatus(SyncState.SYNCING, 4).text == "Syncing…"
    assert sync_status.settled(0, None).text == "Up to date"
    assert sync_status.settled(1, None).text == "1 change waiting"
    assert sync_status.settled(3, None).text == "3 changes waiting"
    offline = sync_status.failed(ApiUnavailable("connection refused"), 2, None)
    assert offline.text == "Offline · 2 changes waiting"
    assert "connection refused" in offline.tooltip and "kept on this computer" in offline.tooltip
    refused = sync_status.failed(ApiRefused(401, "token_invalid", "Sign in again."), 0, None)
    assert refused.state == SyncState.ERROR and refused.text == "Sync error: Sign in again."
    when = datetime(2026, 11, 26, 17, 5, 9, tzinfo=UTC)
    assert "Last synced 17:05:09" in sync_status.settled(0, when).tooltip


def test_the_plan_line_and_the_limit_explanation(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "t.sqlite")
    store.create_table("One")
    free = plans.summary(store, TablePlan.USER_FREE)
    assert free.text == "Free plan · 1 of 3 tables" and not free.full
    store.create_table("Two")
    store.create_table("Three")
    anonymous = plans.summary(store, TablePlan.ANON_FREE)
    assert anonymous.full and anonymous.text == "Free (no account) plan · 3 of 3 tables"
    with pytest.raises(TableLimitReached, match=r"holds 3 active tables.*Sign in"):
        plans.ensure_room(store, TablePlan.ANON_FREE)
    plans.ensure_room(store, TablePlan.PRO)  # Pro holds ten
    store.close()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0123456789ABCDEF", "0123456789ABCDEF"),
        (" 01234567 89abcdef ", "0123456789ABCDEF"),
        ("0123-4567-89ab-cdef", "0123456789ABCDEF"),
        ("0123456789ABCDE", None),
        ("0123456789ABCDEG", None),
        ("", None),
    ],
)
def test_share_codes_as_people_type_them(typed: str, code: str | None) -> None:
    assert normalise_code(typed) == code


def test_a_shared_tables_document_keeps_no_edit() -> None:
    now = datetime.now(UTC)
    table = TableOut(
        id=uuid.uuid4(),
        user_id=None,
        session_id=uuid.uuid4(),
        name="Theirs",
        description="",
        width=1200,
        depth=900,
        layout={"models": [{"id": "p1", "modelId": "m", "x": 10, "y": 20}]},
        is_public=False,
        share_code="0123456789ABCDEF",
        view_count=0,
        clone_count=0,
        cloned_from_id=None,
        status="active",
        plan=TablePlan.ANON_FREE,
        max_assets=1000,
        version=1,
        created_at=now,
        updated_at=now,
    )
    recorder = ReadOnlyRecorder(SharedTable(table, "0123456789ABCDEF"))
    [piece] = recorder.pieces(str(table.id))
    assert (piece.x, piece.y) == (10, 20)
    with pytest.raises(PermissionError):
        recorder.record_pieces(str(table.id), Batch((), {"p1": {"x": 0.0}}, ()))
