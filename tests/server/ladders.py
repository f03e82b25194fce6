"""Seeded assets with the ladder the upload worker would have stored: the real pipeline run
once per mesh file (cached for the test run), its tiers stored through `mesh_tiers.store`."""

import tempfile
import uuid
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from server.db.models import Asset
from server.services import mesh_tiers
from server.storage import Storage
from terrain_meshes import limits, pipeline

Built = tuple[tuple[tuple[bytes, int, bool], ...], tuple[tuple[str, bytes], ...]]


@lru_cache(maxsize=64)
def _built(source: Path) -> Built:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        result = pipeline.process_model(
            source, source.name, None, out, limits.Limits(5_000_000, 2**30), 40_000
        )
        tiers = tuple(((out / t.file).read_bytes(), t.triangles, t.preview) for t in result.tiers)
        views = tuple(
            (role.removeprefix("view-"), (out / name).read_bytes())
            for role, name in result.files.items()
            if role.startswith("view-")
        )
        return tiers, views


def _spooled(storage: Storage, data: bytes) -> Path:
    path = storage.temp_dir() / f"{uuid.uuid4().hex}.part"
    path.write_bytes(data)
    return path


def give_ladder(db: Session, storage: Storage, asset: Asset, source: Path) -> None:
    """Store the ladder (and the catalogue page's views) of the mesh file `source` as
    `asset`'s (the caller commits)."""
    tiers, views = _built(source)
    built = [mesh_tiers.Built(_spooled(storage, d), t, p) for d, t, p in tiers]
    mesh_tiers.store(db, storage, asset, built)
    mesh_tiers.store_views(storage, asset, {n: _spooled(storage, d) for n, d in views})
    asset.glb_file_path = mesh_tiers.tiers_of(db, [asset.id])[asset.id][0].storage_key


def best_preview(db: Session, storage: Storage, asset_id: str, top: int) -> bytes:
    """The densest preview tier of at most `top` triangles: what a device that does not own
    the model draws it with."""
    tiers = mesh_tiers.tiers_of(db, [uuid.UUID(asset_id)])[uuid.UUID(asset_id)]
    best = next(t for t in tiers if t.preview and t.triangles <= top)
    return storage.local_path(best.storage_key).read_bytes()
