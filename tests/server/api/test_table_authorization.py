"""Who may do what to a private table: one matrix over every table and library route.

Only the owner (an account or an anonymous session) gets through. Anyone else is told the
table does not exist (404, never 403, so private tables are not disclosed); a caller with no
credentials at all is asked to identify (401) where a route needs an owner. Refused requests
change nothing.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.server.api.test_tables import as_session, create
from tests.server.factories import bearer, make_artist, make_asset, make_set, new_session, register


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: dict[str, Any] | None
    owner_status: int
    #: Status for a caller with no credentials: 404 on reads, 401 where an owner is required.
    anonymous_status: int = 401


ROUTES = {
    "read table": Route("GET", "/api/tables/{table}", None, 200, anonymous_status=404),
    "update table": Route("PATCH", "/api/tables/{table}", {"name": "Mine now"}, 200),
    "archive table": Route("DELETE", "/api/tables/{table}", None, 200),
    "restore table": Route("POST", "/api/tables/{table}/restore", None, 200),
    "clone table": Route("POST", "/api/tables/{table}/clone", None, 201),
    "list library": Route("GET", "/api/tables/{table}/library", None, 200),
    "add asset": Route("POST", "/api/tables/{table}/library/assets", {"asset_id": "{new}"}, 201),
    "add set": Route("POST", "/api/tables/{table}/library/sets", {"set_id": "{set}"}, 201),
    "remove asset": Route("DELETE", "/api/tables/{table}/library/assets/{kept}", None, 200),
    "remove set": Route("DELETE", "/api/tables/{table}/library/sets/{set}", None, 200),
    "undo removal": Route(
        "POST", "/api/tables/{table}/library/assets/{removed}/restore", None, 200
    ),
    "record usage": Route("POST", "/api/tables/{table}/library/usage", {"asset_id": "{kept}"}, 200),
    "recent assets": Route("GET", "/api/tables/{table}/library/recent", None, 200),
}
CALLERS = ["owner", "other user", "other session", "no credentials"]


def fill(template: Any, ids: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    return template


def snapshot(client: TestClient, table: str, owner: dict[str, str]) -> tuple[Any, ...]:
    """What the owner sees of the table and its library."""
    seen = client.get(f"/api/tables/{table}", headers=owner).json()["table"]
    library = client.get(f"/api/tables/{table}/library", headers=owner).json()
    mine = client.get("/api/tables/mine", params={"status": "all"}, headers=owner).json()
    return (
        seen["name"],
        seen["status"],
        seen["version"],
        seen["clone_count"],
        sorted(a["id"] for a in library["assets"]),
        mine["total"],
    )


@pytest.mark.parametrize("owner_kind", ["account", "session"])
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route_name", list(ROUTES))
def test_only_the_owner_reaches_a_private_table(
    client: TestClient, db: Session, owner_kind: str, caller: str, route_name: str
) -> None:
    route = ROUTES[route_name]
    owner = (
        bearer(register(client)["token"])
        if owner_kind == "account"
        else as_session(new_session(client))
    )
    table = create(client, owner, name="Private")["id"]
    artist = make_artist(db)
    kept, removed, new = (make_asset(db, artist, name) for name in ("Kept", "Removed", "New"))
    library = f"/api/tables/{table}/library/assets"
    for asset in (kept, removed):
        client.post(library, json={"asset_id": str(asset.id)}, headers=owner)
    client.delete(f"{library}/{removed.id}", headers=owner)
    if route_name == "restore table":
        client.delete(f"/api/tables/{table}", headers=owner)
    ids = {
        "table": table,
        "kept": str(kept.id),
        "removed": str(removed.id),
        "new": str(new.id),
        "set": str(make_set(db, artist, [new]).id),
    }
    if route_name == "remove set":
        library_sets = f"/api/tables/{table}/library/sets"
        client.post(library_sets, json={"set_id": ids["set"]}, headers=owner)
    headers = {
        "owner": owner,
        "other user": bearer(register(client)["token"]) if caller == "other user" else {},
        "other session": as_session(new_session(client)) if caller == "other session" else {},
        "no credentials": {},
    }[caller]
    before = snapshot(client, table, owner)

    response = client.request(
        route.method, fill(route.path, ids), json=fill(route.body, ids), headers=headers
    )

    if caller == "owner":
        assert response.status_code == route.owner_status, response.text
        return
    expected = route.anonymous_status if caller == "no credentials" else 404
    assert response.status_code == expected, response.text
    assert response.json()["code"] in {"table_not_found", "auth_required"}
    assert snapshot(client, table, owner) == before
