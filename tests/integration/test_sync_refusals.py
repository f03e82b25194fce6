"""A device whose push holds one mutation that can never go through: that mutation is
refused, the rest go up, and the device's later edits keep syncing (the real desktop sync
engine against the real server)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.settings import Settings
from terrain_desktop.store.database import to_json
from terrain_desktop.store.local_store import now_iso
from tests.integration.conftest import Device, LiveServer, make_device, register
from tests.protocol.test_wire import nested

MODEL = "8c5e6a52-6d3b-4a9e-9d59-0d9e7f3c1a11"


def on_server(live: LiveServer, token: str, table: str) -> dict[str, object]:
    answer = httpx.get(
        f"{live.url}/api/tables/{table}", headers={"Authorization": f"Bearer {token}"}
    )
    answer.raise_for_status()
    table_json: dict[str, object] = answer.json()["table"]
    return table_json


def signed_in_device(tmp_path: Path, live: LiveServer) -> tuple[Device, str]:
    token, user_id = register(live.url)
    return make_device(tmp_path, "a", live.url, token=token, user_id=user_id), token


def test_a_mutation_queued_by_an_older_version_is_refused_and_later_edits_sync(
    tmp_path: Path, live: LiveServer
) -> None:
    device, token = signed_in_device(tmp_path, live)
    table = device.store.create_table("Ruins")
    kept = device.store.add_placement(table, MODEL, x=10)
    # An older version queued a piece whose extra data nests 300 levels deep; the protocol
    # (on both sides) now refuses it.
    payload = {"placement": {"id": "deep", "modelId": MODEL, "style": nested(300)}}
    with device.store.db.write() as conn:
        conn.execute(
            "INSERT INTO outbox (table_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
            (table, "add_placement", to_json(payload), now_iso()),
        )
    device.store.update_table(table, name="Ruined city")

    report = device.engine.sync_once()

    assert report.rejected == 1
    server = on_server(live, token, table)
    assert server["name"] == "Ruined city"
    assert [p["id"] for p in server["layout"]["models"]] == [kept]  # type: ignore[index]
    assert device.store.pending_count() == 0

    device.store.move_placement(table, kept, x=99)
    device.sync()
    assert on_server(live, token, table)["layout"]["models"][0]["x"] == 99  # type: ignore[index]


@pytest.fixture
def strict_live(settings: Settings, clean_database: None) -> Iterator[LiveServer]:
    """A server whose JSON bodies may take at most 1 KiB: a long description is too large."""
    server = LiveServer(settings.model_copy(update={"max_json_bytes": 1024}))
    server.start()
    yield server
    server.stop()


def test_a_push_refused_as_a_whole_refuses_only_its_culprit(
    tmp_path: Path, strict_live: LiveServer
) -> None:
    device, token = signed_in_device(tmp_path, strict_live)
    table = device.store.create_table("Ruins")
    device.store.update_table(table, description="A very long story. " * 150)
    device.store.update_table(table, name="Ruined city")
    piece = device.store.add_placement(table, MODEL, x=10)

    report = device.engine.sync_once()  # the batch of four is 413; halving finds the culprit

    assert report.rejected == 1
    server = on_server(strict_live, token, table)
    assert (server["name"], server["description"]) == ("Ruined city", "")
    assert [p["id"] for p in server["layout"]["models"]] == [piece]  # type: ignore[index]
    assert device.store.pending_count() == 0
    local = device.store.table(table)
    assert local is not None and local.description == ""  # the server's, after the refusal

    device.store.update_table(table, width=1500)
    device.sync()
    assert on_server(strict_live, token, table)["width"] == 1500
