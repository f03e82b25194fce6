"""The desktop takes a catalogue asset's ladder from the server as it is: a real OpenForge tile
uploaded through the real server, its tiers downloaded coarsest first into the mesh cache,
each the very file the server built (same SHA-256), drawn without building a ladder here.
A device that does not own the paid tile gets the previews only, marked as such."""

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, MeshTier, User
from server.jobs import registry, runner
from server.settings import Settings
from terrain_desktop.app import mesh_downloads
from terrain_desktop.meshes.remote_assets import remote_asset
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.store.mesh_cache import DRAWN_TRIANGLES, DisplayMeshCache
from terrain_desktop.sync.client import ApiClient
from tests.integration.conftest import LiveServer, register
from tests.server.services.support import pay, payment_settings
from tests.shared_testdata import openforge
from tests.stripe_standin import StripeStandin

TILE = "of_1x1-staggered_curved_line_top.stl"


def published_tile(live: LiveServer, settings: Settings) -> tuple[str, str]:
    """The tile uploaded by a new artist, processed by the worker, published at $4.00."""
    token, _ = register(live.url)
    auth = {"Authorization": f"Bearer {token}"}
    became = httpx.post(f"{live.url}/api/artists/me", json={"artist_name": "Forge"}, headers=auth)
    assert became.status_code == 200, became.text
    uploaded = httpx.post(
        f"{live.url}/api/library/assets",
        files={"file": (TILE, openforge(TILE).read_bytes(), "application/octet-stream")},
        data={"category": "tiles"},
        headers=auth,
        timeout=60,
    )
    assert uploaded.status_code == 202, uploaded.text
    runner.run(registry.worker_context(settings), registry.job_kinds(settings), once=True)
    asset_id: str = uploaded.json()["asset"]["id"]
    published = httpx.patch(
        f"{live.url}/api/library/assets/{asset_id}",
        json={"status": "published", "base_price": "4.00"},
        headers=auth,
    )
    assert published.status_code == 200, published.text
    return token, asset_id


def server_ladder(db: Session, asset_id: str) -> list[MeshTier]:
    rows = db.scalars(
        select(MeshTier).where(MeshTier.asset_id == uuid.UUID(asset_id)).order_by(MeshTier.level)
    )
    return list(rows)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("owner", [False, True], ids=["someone-else", "the-artist"])
def test_tiers_arrive_coarsest_first_as_the_server_built_them(
    live: LiveServer,
    db: Session,
    settings: Settings,
    tmp_path: Path,
    owner: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(tmp_path / "data"))
    token, asset_id = published_tile(live, settings)
    client = ApiClient(live.url, token=token if owner else None)
    cache = DisplayMeshCache(tmp_path / "meshes")
    done: list[Path | None] = []

    report = mesh_downloads.download(
        client,
        cache,
        [asset_id],
        report=lambda p: done.append(cache.path(asset_id)) if p.stage == "done" else None,
    )
    client.close()

    assert report.downloaded == [asset_id] and not report.failed
    ladder = server_ladder(db, asset_id)
    mine = [t for t in ladder if (owner or t.preview) and t.triangles <= DRAWN_TRIANGLES]
    on_disk = cache.tier_paths(asset_id, DRAWN_TRIANGLES)
    assert [p.stem for p in on_disk] == [t.sha256 for t in mine]  # every tier, densest first
    assert [sha256(p) for p in on_disk] == [t.sha256 for t in mine]  # the server's own files
    drawn_as = [p.stem for p in done if p is not None]
    assert drawn_as == [t.sha256 for t in reversed(mine)]  # coarsest first, then finer
    original = ladder[0].triangles
    assert owner or all(t.triangles * 4 <= original for t in mine)

    asset = remote_asset(cache, asset_id)
    assert asset is not None and asset.preview is (not owner)
    assert asset.mesh_path == on_disk[0] and asset.tier_paths == tuple(on_disk)
    tiers = MeshCache().asset_tiers(asset)
    assert [t.GetNumberOfCells() for t in tiers] == [t.triangles for t in mine]
    assert not (tmp_path / "data" / "cache" / "lod").exists()  # no ladder built or cached here


@pytest.fixture
def standin() -> Iterator[StripeStandin]:
    with StripeStandin.running() as running:
        yield running


def test_after_a_purchase_the_full_tiers_replace_the_previews(
    live: LiveServer,
    db: Session,
    settings: Settings,
    tmp_path: Path,
    standin: StripeStandin,
) -> None:
    live.stop()  # the same server, now with Stripe at the stand-in
    live.settings = payment_settings(settings, standin)
    live.start()
    _, asset_id = published_tile(live, settings)
    artist = db.scalar(select(Asset.artist_id).where(Asset.id == uuid.UUID(asset_id)))
    user = db.get(User, artist)
    assert user is not None
    account = standin.state.create_account({"email": user.email})
    standin.finish_onboarding(account["id"])
    user.stripe_account_id, user.stripe_onboarding_complete = account["id"], True
    db.commit()
    buyer_token, _ = register(live.url)
    client = ApiClient(live.url, token=buyer_token)
    cache = DisplayMeshCache(tmp_path / "meshes")
    mesh_downloads.download(client, cache, [asset_id])
    assert cache.info(asset_id).full_access is False  # type: ignore[union-attr]
    previews = cache.tier_paths(asset_id, DRAWN_TRIANGLES)

    with httpx.Client(base_url=live.url) as http:
        made = http.post(
            "/api/orders",
            json={"items": [{"asset_id": asset_id, "quantity": 1}]},
            headers={"Authorization": f"Bearer {buyer_token}"},
        )
        assert made.status_code == 201, made.text
        pay(http, standin, str(made.json()["order_id"]), live.url)
    report = mesh_downloads.download(client, cache, [asset_id], refresh={asset_id})
    client.close()

    assert report.downloaded == [asset_id] and not report.failed
    owned = [t for t in server_ladder(db, asset_id) if t.triangles <= DRAWN_TRIANGLES]
    on_disk = cache.tier_paths(asset_id, DRAWN_TRIANGLES)
    assert [p.stem for p in on_disk] == [t.sha256 for t in owned]
    assert len(on_disk) > len(previews) and on_disk[0] not in previews  # finer than any preview
    asset = remote_asset(cache, asset_id)
    assert asset is not None and asset.preview is False and asset.mesh_path == on_disk[0]
