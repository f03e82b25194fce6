"""`terrain-server rebuild-ladders`: assets processed before the server kept ladders get theirs.

Until then such a paid asset shows nobody but its owners a mesh (its one display mesh may be
the full model); after the command everyone gets its previews and owners every tier.
"""

import hashlib
import io
from pathlib import Path
from typing import Any

import trimesh
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.db.models import Asset, MeshTier
from server.services import mesh_tiers
from server.settings import Settings
from terrain_meshes import deviation, lod
from tests.meshes import samples
from tests.server.factories import bearer, make_artist, make_asset, register_artist
from tests.server.processing import processed
from tests.server.test_migrations import terrain_server


def an_asset_from_before_ladders(client: TestClient, app: FastAPI, db: Session) -> tuple[str, str]:
    """A published $9.99 rock of 20,480 triangles as the old worker left it: a whole mesh that
    is also its display mesh, and no tiers."""
    token: str = register_artist(client, db)["token"]
    data = samples.export(samples.heavy(5), "stl")
    uploaded = client.post(
        "/api/library/assets",
        files={"file": ("rock.stl", data, "application/octet-stream")},
        data={"category": "rocks"},
        headers=bearer(token),
    )
    asset_id: str = processed(client, app, token, uploaded.json()["asset"]["id"])["id"]
    client.patch(
        f"/api/library/assets/{asset_id}",
        json={"status": "published", "base_price": "9.99"},
        headers=bearer(token),
    )
    asset = db.scalar(select(Asset).where(Asset.id == asset_id))
    assert asset is not None
    asset.display_file_path = asset.glb_file_path
    db.execute(delete(MeshTier).where(MeshTier.asset_id == asset.id))
    db.commit()
    return token, asset_id


def public_view(client: TestClient, asset_id: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/library/assets/{asset_id}").json()["asset"]
    return body


def test_rebuild_ladders_gives_old_assets_previews_and_owners_every_tier(
    client: TestClient, app: FastAPI, db: Session, settings: Settings, database_url: str
) -> None:
    token, asset_id = an_asset_from_before_ladders(client, app, db)
    assert public_view(client, asset_id)["tiers"] == []
    assert client.get(f"/api/library/assets/{asset_id}/display").status_code == 404
    env = {"TERRAIN_STORAGE_DIR": settings.storage_dir}

    first = terrain_server(database_url, "rebuild-ladders", "--run", env=env)
    second = terrain_server(database_url, "rebuild-ladders", env=env)

    assert first.returncode == 0, first.stderr
    assert "Queued 1 ladder build(s)." in first.stdout
    assert "Queued 0 ladder build(s)." in second.stdout
    previews = public_view(client, asset_id)["tiers"]
    assert previews and all(t["preview"] and t["triangles"] <= 20_480 // 4 for t in previews)
    shown = client.get(f"/api/library/assets/{asset_id}/display")
    mesh = trimesh.load(io.BytesIO(shown.content), file_type="glb", force="mesh")
    assert len(mesh.faces) == previews[0]["triangles"]
    own = client.get(f"/api/library/assets/{asset_id}", headers=bearer(token)).json()["asset"]
    assert own["tiers"][0]["triangles"] == 20_480 and len(own["tiers"]) > len(previews)


TOWER = Path(__file__).resolve().parents[2] / "resources" / "sample_library" / "ruined-tower.glb"


def a_processed_tower(client: TestClient, app: FastAPI, db: Session) -> tuple[str, str]:
    """The demo Ruined tower uploaded by a new artist and processed: their token, its id."""
    token: str = register_artist(client, db)["token"]
    uploaded = client.post(
        "/api/library/assets",
        files={"file": ("ruined-tower.glb", TOWER.read_bytes(), "application/octet-stream")},
        data={"category": "ruins"},
        headers=bearer(token),
    )
    asset_id: str = processed(client, app, token, uploaded.json()["asset"]["id"])["id"]
    return token, asset_id


def test_rebuild_ladders_all_rebuilds_stored_ladders_once(
    client: TestClient, app: FastAPI, db: Session, settings: Settings, database_url: str
) -> None:
    """A server upgraded to tiers that keep the shape still serves what its old pipeline
    stored; `--all` builds every ladder again, so the demo tower gets its preview back."""
    token, asset_id = a_processed_tower(client, app, db)
    client.patch(
        f"/api/library/assets/{asset_id}",
        json={"status": "published", "base_price": "6.00"},
        headers=bearer(token),
    )
    db.execute(delete(MeshTier).where(MeshTier.asset_id == asset_id, MeshTier.preview))
    db.commit()  # as the old pipeline left it: no preview that keeps the shape
    assert public_view(client, asset_id)["tiers"] == []
    env = {"TERRAIN_STORAGE_DIR": settings.storage_dir}

    missing_only = terrain_server(database_url, "rebuild-ladders", env=env)
    every = terrain_server(database_url, "rebuild-ladders", "--all", "--run", env=env)
    again = terrain_server(database_url, "rebuild-ladders", "--all", env=env)

    assert "Queued 0 ladder build(s)." in missing_only.stdout  # it has a ladder
    assert every.returncode == 0, every.stderr
    assert "Queued 1 ladder build(s)." in every.stdout and "Ran 1 job(s)." in every.stdout
    assert "Queued 0 ladder build(s)." in again.stdout  # once per ladder version
    (preview,) = public_view(client, asset_id)["tiers"]
    assert preview["preview"] and preview["triangles"] <= 204
    own = client.get(f"/api/library/assets/{asset_id}", headers=bearer(token)).json()["asset"]
    full, shown = (
        trimesh.load(
            io.BytesIO(client.get(url, headers=bearer(token)).content),
            file_type="glb",
            force="mesh",
        )
        for url in (own["tiers"][0]["url"], preview["url"])
    )
    assert len(full.faces) == 204  # the whole tower, to measure the preview against
    assert deviation.deviation(full, shown) <= lod.MAX_DEVIATION


def plant_tier(storage_dir: str, content: bytes) -> tuple[str, str]:
    """A tier file an older pipeline stored: its content-addressed key and hash."""
    sha = hashlib.sha256(content).hexdigest()
    key = mesh_tiers.tier_key(sha)
    path = Path(storage_dir) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return key, sha


def test_rebuilt_ladders_leave_no_unused_files_and_keep_shared_ones(
    client: TestClient, app: FastAPI, db: Session, settings: Settings, database_url: str
) -> None:
    """A rebuild replaces the files of the old ladder: those nothing names any more are
    removed from storage (a server upgraded twice would otherwise keep every old preview for
    good), a file another asset still names stays, and every file the new ladder names is
    there to download."""
    token, asset_id = a_processed_tower(client, app, db)
    old_key, old_sha = plant_tier(settings.storage_dir, TOWER.read_bytes() + b"old preview")
    shared_key, shared_sha = plant_tier(settings.storage_dir, TOWER.read_bytes() + b"shared")
    tiers = list(db.scalars(select(MeshTier).where(MeshTier.asset_id == asset_id)))
    preview = next(t for t in tiers if t.preview)
    preview.storage_key, preview.sha256 = old_key, old_sha
    db.add(
        MeshTier(
            asset_id=preview.asset_id,
            level=len(tiers),
            triangles=1,
            size_bytes=1,
            sha256=shared_sha,
            storage_key=shared_key,
            preview=True,
        )
    )
    other = make_asset(db, make_artist(db), "Another tower")
    other.display_file_path = shared_key  # the same bytes, stored once for both
    db.commit()
    storage = Path(settings.storage_dir)

    done = terrain_server(
        database_url,
        "rebuild-ladders",
        "--all",
        "--run",
        env={"TERRAIN_STORAGE_DIR": settings.storage_dir},
    )

    assert done.returncode == 0, done.stderr
    db.expire_all()
    assert not (storage / old_key).exists()
    assert (storage / shared_key).exists()
    own = client.get(f"/api/library/assets/{asset_id}", headers=bearer(token)).json()["asset"]
    assert own["tiers"] and all(
        client.get(t["url"], headers=bearer(token)).status_code == 200 for t in own["tiers"]
    )
    named = set(db.scalars(select(MeshTier.storage_key)))
    stored = {
        str(p.relative_to(storage)) for p in (storage / "tiers").rglob("*.glb") if p.is_file()
    }
    assert stored == named | {shared_key}
