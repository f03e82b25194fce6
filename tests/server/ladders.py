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


@lru_cache(maxsize=64)
def _built(source: Path) -> tuple[tuple[bytes, int, bool], ...]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        result = pipeline.process_model(
            source, source.name, None, out, limits.Limits(5_000_000, 2**30), 40_000
        )
        return tuple(((out / t.file).read_bytes(), t.triangles, t.preview) for t in result.tiers)


def give_ladder(db: Session, storage: Storage, asset: Asset, source: Path) -> None:
    """Store the ladder of the mesh file `source` as `asset`'s (the caller commits)."""
    built = []
    for data, triangles, preview in _built(source):
        spooled = storage.temp_dir() / f"{uuid.uuid4().hex}.glb"
        spooled.write_bytes(data)
        built.append(mesh_tiers.Built(spooled, triangles, preview))
    mesh_tiers.store(db, storage, asset, built)
    asset.glb_file_path = mesh_tiers.tiers_of(db, [asset.id])[asset.id][0].storage_key


def best_preview(db: Session, storage: Storage, asset_id: str, top: int) -> bytes:
    """The densest preview tier of at most `top` triangles: what a device that does not own
    the model draws it with."""
    tiers = mesh_tiers.tiers_of(db, [uuid.UUID(asset_id)])[uuid.UUID(asset_id)]
    best = next(t for t in tiers if t.preview and t.triangles <= top)
    return storage.local_path(best.storage_key).read_bytes()
