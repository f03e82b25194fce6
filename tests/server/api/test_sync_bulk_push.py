"""A push's piece edits, applied per table in one go: each still accepted or refused on its
own, in mutation-id order, with other kinds of mutation between them, merged per field."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from server.db.models import GameTable
from terrain_protocol.sync import MAX_PUSH_MUTATIONS
from tests.server.api.test_sync_api import MODEL, pull, push
from tests.server.api.test_tables import as_session, create
from tests.server.factories import new_session


def add(mutation_id: int, table: str, pid: str, **fields: Any) -> dict[str, Any]:
    placement = {"id": pid, "modelId": MODEL, **fields}
    return {
        "mutation_id": mutation_id,
        "kind": "add_placement",
        "table_id": table,
        "placement": placement,
    }


def move(mutation_id: int, table: str, pid: str, **changes: Any) -> dict[str, Any]:
    return {
        "mutation_id": mutation_id,
        "kind": "move_placement",
        "table_id": table,
        "placement_id": pid,
        "changes": changes,
    }


def remove(mutation_id: int, table: str, pid: str) -> dict[str, Any]:
    return {
        "mutation_id": mutation_id,
        "kind": "remove_placement",
        "table_id": table,
        "placement_id": pid,
    }


def table_of(client: TestClient, headers: dict[str, str], table: str) -> dict[str, Any]:
    response = client.get(f"/api/tables/{table}", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["table"]
    return found


def pieces(client: TestClient, headers: dict[str, str], table: str) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in table_of(client, headers, table)["layout"]["models"]}


def test_each_edit_of_one_push_is_accepted_or_refused_on_its_own(
    client: TestClient, db: Session
) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    mine = create(client, headers, layout={"models": [{"id": "a", "modelId": MODEL}]})
    archived = create(client, headers, name="Archived")["id"]
    client.delete(f"/api/tables/{archived}", headers=headers)
    db.execute(update(GameTable).where(GameTable.id == uuid.UUID(mine["id"])).values(max_assets=3))
    db.commit()
    table = mine["id"]
    watcher = str(uuid.uuid4())
    cursor = pull(client, headers, watcher)["cursor"]

    answer = push(
        client,
        headers,
        device,
        [
            add(1, table, "p1"),
            add(2, archived, "p2"),  # archived table
            add(3, table, "p3", x=1e9),  # invalid on its own
            add(4, str(uuid.uuid4()), "p4"),  # not a table of this owner
            add(5, table, "p5"),  # the table is now full (a, p1, p5)
            add(6, table, "p6"),  # refused: full
            move(7, table, "a", x=7),
            remove(8, table, "p1"),
            add(9, table, "p6", y=3),  # room again
        ],
    ).json()

    assert (answer["applied"], answer["last_mutation_id"]) == (5, 9)
    refused = {r["mutation_id"]: r["code"] for r in answer["rejections"]}
    assert refused == {
        2: "table_archived",
        3: "validation_error",
        4: "table_not_found",
        6: "validation_error",
    }
    after = table_of(client, headers, table)
    assert [p["id"] for p in after["layout"]["models"]] == ["a", "p5", "p6"]
    assert after["layout"]["models"][0]["x"] == 7 and after["layout"]["models"][2]["y"] == 3
    assert after["version"] == mine["version"] + 5  # one per accepted edit, as REST counts
    assert table_of(client, headers, archived)["layout"]["models"] == []
    # Another device sees exactly the accepted edits; this device sees its refusals.
    changes = pull(client, headers, watcher, cursor)
    assert sorted(c["placement"]["id"] for c in changes["placements"]) == ["a", "p5", "p6"]
    assert changes["tombstones"] == [{"kind": "placement", "table_id": table, "id": "p1"}]
    own = pull(client, headers, device, cursor)
    assert [r["mutation_id"] for r in own["rejections"]] == [2, 3, 4, 6]


def test_the_same_mutation_id_twice_is_applied_once(client: TestClient) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, headers)["id"]
    mutations = [add(1, table, "p", x=1), add(1, table, "q"), move(2, table, "p", x=5)]

    first = push(client, headers, device, mutations).json()
    again = push(client, headers, device, mutations).json()

    assert (first["applied"], first["skipped"], first["last_mutation_id"]) == (2, 0, 2)
    assert (again["applied"], again["skipped"]) == (0, 3)
    assert {pid: p["x"] for pid, p in pieces(client, headers, table).items()} == {"p": 5}


def test_edits_of_several_tables_keep_their_order_around_other_mutations(
    client: TestClient,
) -> None:
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    x = {"id": "x", "modelId": MODEL}

    answer = push(
        client,
        headers,
        device,
        [
            {"mutation_id": 1, "kind": "create_table", "table_id": first, "placements": [x]},
            add(2, first, "a"),
            {"mutation_id": 3, "kind": "create_table", "table_id": second, "name": "Two"},
            add(4, second, "b"),
            {
                "mutation_id": 5,
                "kind": "update_table",
                "table_id": first,
                "fields": {"name": "One"},
            },
            move(6, first, "a", rotation=90),
            {"mutation_id": 7, "kind": "archive_table", "table_id": second},
            add(8, second, "c"),  # refused: archived by 7
            remove(9, first, "x"),
            add(10, first, "d"),
        ],
    ).json()

    assert answer["applied"] == 9
    assert [(r["mutation_id"], r["code"]) for r in answer["rejections"]] == [(8, "table_archived")]
    one = table_of(client, headers, first)
    assert one["name"] == "One"
    assert [(p["id"], p["rotation"]) for p in one["layout"]["models"]] == [
        ("a", 90),
        ("d", 0),
    ]
    two = table_of(client, headers, second)
    assert two["status"] == "archived"
    assert [p["id"] for p in two["layout"]["models"]] == ["b"]
    everything = pull(client, headers, str(uuid.uuid4()))
    assert {(c["table_id"], c["placement"]["id"]) for c in everything["placements"]} == {
        (first, "a"),
        (first, "d"),
        (second, "b"),
    }


def test_moves_merge_per_field_and_a_removal_wins(client: TestClient) -> None:
    headers = as_session(new_session(client))
    laptop, tablet = str(uuid.uuid4()), str(uuid.uuid4())
    table = create(
        client, headers, layout={"models": [{"id": "a", "modelId": MODEL, "x": 1, "y": 2}]}
    )["id"]
    cursor = pull(client, headers, laptop)["cursor"]

    push(client, headers, laptop, [move(1, table, "a", x=10)])
    push(client, headers, tablet, [move(1, table, "a", rotation=90), move(2, table, "a", y=5)])

    a = pieces(client, headers, table)["a"]
    assert (a["x"], a["y"], a["rotation"]) == (10, 5, 90)
    # The laptop made one of the changes, the tablet the others: the piece goes to the laptop.
    changed = pull(client, headers, laptop, cursor)["placements"]
    assert [(c["placement"]["x"], c["placement"]["rotation"]) for c in changed] == [(10, 90)]

    gone = push(client, headers, tablet, [remove(3, table, "a"), move(4, table, "a", x=3)])
    assert (gone.json()["applied"], gone.json()["rejections"]) == (2, [])
    assert pieces(client, headers, table) == {}


def test_a_device_keeping_its_copy_does_not_download_its_own_first_push(
    client: TestClient,
) -> None:
    headers, device, table = as_session(new_session(client)), str(uuid.uuid4()), str(uuid.uuid4())
    push(
        client,
        headers,
        device,
        [
            {"mutation_id": 1, "kind": "create_table", "table_id": table},
            add(2, table, "a"),
            add(3, table, "b"),
        ],
    )

    def first_pull(who: str, keeps_copy: bool) -> Any:
        body = {"client_id": who, "cursor": 0, "keeps_copy": keeps_copy}
        response = client.post("/api/sync/pull", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    kept = first_pull(device, keeps_copy=True)
    assert [t["id"] for t in kept["tables"]] == [table] and kept["placements"] == []
    # Starting afresh (after a reset), or another device: everything.
    assert len(first_pull(device, keeps_copy=False)["placements"]) == 2
    assert len(first_pull(str(uuid.uuid4()), keeps_copy=True)["placements"]) == 2


def test_a_push_of_the_largest_size_is_applied_and_a_larger_one_changes_nothing(
    client: TestClient,
) -> None:
    """A device back online sends its edits in pushes of up to MAX_PUSH_MUTATIONS; one more
    is refused as a whole, and nothing of it is applied."""
    headers, device = as_session(new_session(client)), str(uuid.uuid4())
    table = create(client, headers, layout={"models": [{"id": "a", "modelId": MODEL}]})["id"]
    largest = [move(n, table, "a", x=n) for n in range(1, MAX_PUSH_MUTATIONS + 1)]

    answer = push(client, headers, device, largest)

    assert answer.status_code == 200, answer.text
    assert (answer.json()["applied"], answer.json()["rejections"]) == (MAX_PUSH_MUTATIONS, [])
    assert pieces(client, headers, table)["a"]["x"] == MAX_PUSH_MUTATIONS
    start = MAX_PUSH_MUTATIONS + 1
    too_many = [move(start + n, table, "a", x=-n) for n in range(MAX_PUSH_MUTATIONS + 1)]

    refused = push(client, headers, device, too_many)

    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
    assert pieces(client, headers, table)["a"]["x"] == MAX_PUSH_MUTATIONS
