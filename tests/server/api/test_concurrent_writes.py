"""Writes of one owner from many devices at once: they queue behind each other, none fails."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient

from tests.server.api.test_tables import as_session, create, placement
from tests.server.factories import new_session


def test_edits_and_pushes_of_one_owner_at_once_all_succeed(
    client: TestClient, live_server: str
) -> None:
    headers = as_session(new_session(client))
    model = uuid.uuid4()
    tables = [
        create(client, headers, layout={"models": [placement(f"p{n}", model) for n in range(5)]})
        for _ in range(2)
    ]

    def device(number: int) -> list[int]:
        """Four edits and four pushes, each touching both tables in an order of its own."""
        statuses, device_id = [], str(uuid.uuid4())
        order = tables if number % 2 else tables[::-1]
        with httpx.Client(base_url=live_server, timeout=60, headers=headers) as http:
            for n in range(4):
                for table in order:
                    edit = {"description": f"device {number} edit {n}"}
                    statuses.append(http.patch(f"/api/tables/{table['id']}", json=edit).status_code)
                moves = [
                    {
                        "mutation_id": 2 * n + i + 1,
                        "kind": "move_placement",
                        "table_id": table["id"],
                        "placement_id": f"p{number % 5}",
                        "changes": {"x": number * 10 + n},
                    }
                    for i, table in enumerate(order)
                ]
                push = http.post(
                    "/api/sync/push", json={"client_id": device_id, "mutations": moves}
                )
                statuses.append(push.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [s for result in pool.map(device, range(8)) for s in result]

    assert statuses == [200] * len(statuses)
    versions = [
        client.get(f"/api/tables/{t['id']}", headers=headers).json()["table"] for t in tables
    ]
    assert [v["version"] for v in versions] == [1 + 8 * 4 * 2] * 2  # every edit and move counted
