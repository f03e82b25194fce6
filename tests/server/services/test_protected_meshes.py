"""Protected meshes: each kind of caller fetches every URL the API gives it for a paid model
and reads the largest mesh it can. Those who own the model (artist, admin, buyer with a paid
order) get the original file; everyone else gets previews of at most a quarter of the
triangles, and is refused the full tiers and the original even when asking for them by URL.

The model is the issue's pirate case: a $9.99 rock of 20,480 triangles, under the display
limit, whose single display mesh used to be the full mesh.
"""

import io
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import trimesh
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.db.models import User
from tests.meshes import samples
from tests.server.factories import bearer, new_session, register, register_artist
from tests.server.processing import processed
from tests.server.services.support import buy, pay
from tests.stripe_standin import StripeStandin

TRIANGLES = 20_480
ROLES = ["nobody", "anonymous", "other_account", "other_artist", "buyer", "artist", "admin"]
OWNERS = {"buyer", "artist", "admin"}


@dataclass
class World:
    asset_id: str
    original: bytes
    artist: dict[str, str]
    #: Every URL of the model's files that anyone was ever given (the artist sees them all).
    all_urls: set[str]


def urls_in(asset: dict[str, Any]) -> set[str]:
    found = {asset.get("display_url"), asset.get("thumbnail_url"), asset.get("original_url")}
    found |= {tier["url"] for tier in asset["tiers"]} | set(asset["view_urls"].values())
    return {url for url in found if url}


def publish_paid_rock(
    client: TestClient, app: FastAPI, db: Session, standin: StripeStandin
) -> World:
    body = register_artist(client, db)
    artist = bearer(body["token"])
    user = db.get(User, uuid.UUID(body["user"]["id"]))
    assert user is not None
    account = standin.state.create_account({"email": user.email})
    standin.finish_onboarding(account["id"])
    user.stripe_account_id, user.stripe_onboarding_complete = account["id"], True
    db.commit()
    original = samples.export(samples.heavy(5), "stl")
    uploaded = client.post(
        "/api/library/assets",
        files={"file": ("rock.stl", original, "application/octet-stream")},
        data={"category": "rocks"},
        headers=artist,
    )
    assert uploaded.status_code == 202, uploaded.text
    asset = processed(client, app, body["token"], uploaded.json()["asset"]["id"])
    assert asset["processing_state"] == "ready" and asset["poly_count"] == TRIANGLES
    published = client.patch(
        f"/api/library/assets/{asset['id']}",
        json={"status": "published", "base_price": "9.99"},
        headers=artist,
    )
    assert published.status_code == 200, published.text
    return World(asset["id"], original, artist, urls_in(published.json()["asset"]))


def headers_for(
    role: str, client: TestClient, db: Session, world: World, standin: StripeStandin
) -> dict[str, str]:
    if role == "nobody":
        return {}
    if role == "anonymous":
        return {"x-session-id": new_session(client)}
    if role == "artist":
        return world.artist
    if role == "other_artist":
        return bearer(register_artist(client, db)["token"])
    body = register(client)
    headers = bearer(body["token"])
    if role == "admin":
        user = db.get(User, uuid.UUID(body["user"]["id"]))
        assert user is not None
        user.role = "admin"
        db.commit()
    if role == "buyer":
        order = buy(client, headers, [(SimpleNamespace(id=world.asset_id), 1)])
        pay(client, standin, str(order["order_id"]))
    return headers


def urls_given(client: TestClient, headers: dict[str, str], world: World) -> set[str]:
    """What the API tells this caller: the asset, the catalogue search, and its orders."""
    one = client.get(f"/api/library/assets/{world.asset_id}", headers=headers)
    assert one.status_code == 200, one.text
    urls = urls_in(one.json()["asset"])
    listed = client.get("/api/library/assets", params={"q": "rock"}, headers=headers).json()
    urls |= {u for a in listed["assets"] if a["id"] == world.asset_id for u in urls_in(a)}
    if "Authorization" in headers:
        for order in client.get("/api/orders", headers=headers).json().get("orders", []):
            detail = client.get(f"/api/orders/{order['id']}", headers=headers).json()["order"]
            urls |= {f["download_url"] for f in detail.get("files", [])}
    return urls


def triangles_in(content: bytes) -> int:
    """Triangles of the mesh in `content` (GLB or STL); 0 for anything that is not a mesh."""
    for kind in ("glb", "stl"):
        try:
            mesh = trimesh.load(io.BytesIO(content), file_type=kind, force="mesh")
        except Exception:  # noqa: S112 (not this kind: try the next)
            continue
        if isinstance(mesh, trimesh.Trimesh) and len(mesh.faces):
            return len(mesh.faces)
    return 0


@pytest.mark.parametrize("role", ROLES)
def test_each_caller_reads_only_what_it_may(
    role: str, client: TestClient, app: FastAPI, db: Session, standin: StripeStandin
) -> None:
    world = publish_paid_rock(client, app, db, standin)
    headers = headers_for(role, client, db, world, standin)

    given = urls_given(client, headers, world)
    fetched = {url: client.get(url, headers=headers) for url in given | world.all_urls}

    readable = {url: r.content for url, r in fetched.items() if r.status_code == 200}
    largest = max(triangles_in(content) for content in readable.values())
    if role in OWNERS:
        assert world.original in readable.values(), sorted(readable)
        assert largest == TRIANGLES
        assert all(fetched[url].status_code == 200 for url in given)
    else:
        assert 0 < largest <= TRIANGLES // 4  # enough to plan with, not to print
        assert world.original not in readable.values()
        refused = {url: r.status_code for url, r in fetched.items() if url not in readable}
        assert refused and set(refused.values()) <= {403, 404}, refused
        assert all(url not in given for url in refused)  # nothing it is given is refused


def test_tiers_are_cached_for_good_and_privately_when_owned(
    client: TestClient, app: FastAPI, db: Session, standin: StripeStandin
) -> None:
    world = publish_paid_rock(client, app, db, standin)
    mine = client.get(f"/api/library/assets/{world.asset_id}", headers=world.artist).json()
    tiers = mine["asset"]["tiers"]
    public = client.get(f"/api/library/assets/{world.asset_id}").json()["asset"]

    assert tiers[0]["triangles"] == TRIANGLES and mine["asset"]["full_access"]
    assert public["full_access"] is False and public["original_url"] is None
    assert public["tiers"] == [t for t in tiers if t["preview"]] and public["tiers"]
    assert all(t["triangles"] <= TRIANGLES // 4 for t in public["tiers"])
    preview, full = public["tiers"][0], tiers[0]
    shared = client.get(preview["url"])
    assert shared.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert shared.headers["etag"] == f'"{preview["hash"]}"'
    assert len(shared.content) == preview["bytes"]
    own = client.get(full["url"], headers=world.artist)
    assert own.headers["cache-control"] == "private, max-age=31536000, immutable"
    again = client.get(preview["url"], headers={"If-None-Match": shared.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    refused = client.get(full["url"], headers={"If-None-Match": f'"{full["hash"]}"'})
    assert refused.status_code == 403 and refused.json()["code"] == "not_owned"
    unknown = client.get(f"/api/library/assets/{world.asset_id}/tiers/{'0' * 64}.glb")
    assert unknown.status_code == 404 and unknown.json()["code"] == "file_not_found"


def test_a_free_model_is_whole_for_everyone(
    client: TestClient, app: FastAPI, db: Session, standin: StripeStandin
) -> None:
    world = publish_paid_rock(client, app, db, standin)
    free = client.patch(
        f"/api/library/assets/{world.asset_id}", json={"base_price": "0"}, headers=world.artist
    )
    assert free.status_code == 200, free.text

    public = client.get(f"/api/library/assets/{world.asset_id}").json()["asset"]
    whole = client.get(public["tiers"][0]["url"])
    original = client.get(public["original_url"])

    assert public["full_access"] is True and public["tiers"][0]["triangles"] == TRIANGLES
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert original.content == world.original


def test_the_catalogue_page_shows_the_full_mesh_in_pictures(
    client: TestClient, app: FastAPI, db: Session, standin: StripeStandin
) -> None:
    from PIL import Image

    from terrain_meshes import thumbnail

    world = publish_paid_rock(client, app, db, standin)
    public = client.get(f"/api/library/assets/{world.asset_id}").json()["asset"]

    assert sorted(public["view_urls"]) == ["back", "front", "side", "top"]
    pictures = {name: client.get(url) for name, url in public["view_urls"].items()}
    for name, response in pictures.items():
        assert response.status_code == 200, name
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        picture = np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"))
        assert picture.shape == (512, 512, 3)
        assert thumbnail.coverage(picture).mean() > 0.1, name  # the rock fills the picture
    # Different angles (the rock is symmetric front to back, so those two may agree).
    assert len({pictures[n].content for n in ("front", "side", "top")}) == 3
