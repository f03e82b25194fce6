"""Two writes of one owner at once: neither waits for the other, and pulls miss neither.

The owner's sync version is taken at commit (see `server.services.sync_versions`), so an edit
still in progress holds up no edit of the owner's other tables, and what commits later gets a
later version even though it began first: a pull between them sees one, the next the other.
"""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.clock import ManualClock
from server.db.models import AnonymousSession
from server.services import tables
from server.services.owners import Owner
from terrain_protocol.tables import Layout, TableUpdate
from tests.server.api.test_sync_api import MODEL, pull
from tests.server.api.test_tables import as_session, create, placement
from tests.server.factories import new_session


def test_an_edit_in_progress_holds_up_no_other_table_and_lands_after_it(
    client: TestClient, clock: ManualClock
) -> None:
    session_id = new_session(client)
    headers, device = as_session(session_id), str(uuid.uuid4())
    first = create(client, headers, name="First", layout={"models": [placement("a", MODEL)]})
    second = create(client, headers, name="Second")
    cursor = pull(client, headers, device)["cursor"]

    # A device's edit of the first table, begun (its row locked, the piece moved) and not
    # yet committed: as a request between its work and its commit.
    slow: Session
    with client.app.state.sessionmaker() as slow:  # type: ignore[attr-defined]
        owner = Owner(session=slow.get(AnonymousSession, uuid.UUID(session_id)))
        moved = Layout.model_validate({"models": [placement("a", MODEL, x=7)]})
        update = TableUpdate(description="slow", layout=moved)
        tables.apply_update(slow, owner, uuid.UUID(first["id"]), update, clock.now())

        quick = client.patch(
            f"/api/tables/{second['id']}", json={"description": "quick"}, headers=headers
        )
        assert quick.status_code == 200, quick.text  # it did not wait for the first
        between = pull(client, headers, device, cursor)
        assert [t["id"] for t in between["tables"]] == [second["id"]]
        assert between["placements"] == []

        slow.commit()

    after = pull(client, headers, device, between["cursor"])
    assert after["cursor"] > between["cursor"]  # committed later: a later version
    assert [t["id"] for t in after["tables"]] == [first["id"]]
    assert [_x(p) for p in after["placements"]] == [("a", 7)]
    assert pull(client, headers, device, after["cursor"])["tables"] == []


def _x(changed: dict[str, Any]) -> tuple[str, float]:
    return changed["placement"]["id"], changed["placement"]["x"]
