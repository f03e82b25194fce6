"""Artists' model uploads: checked, measured, stored by content hash, made displayable.

The file arrives already on disk (the multipart parser spools it there); this module
copies it into the store's temporary area while hashing, never holding it whole in memory.
"""

import hashlib
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, User
from server.errors import ApiError
from server.services import catalogue
from server.settings import Settings
from server.storage import Storage
from terrain_meshes import analysis, processing
from terrain_meshes.errors import MeshError, MeshProblem
from terrain_protocol.errors import ErrorCode

CHUNK = 1024 * 1024
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f]|^\.|\.\.")

_PROBLEM_CODES = {
    MeshProblem.UNSUPPORTED_TYPE: (415, ErrorCode.UNSUPPORTED_FILE_TYPE),
    MeshProblem.NOT_A_MESH: (422, ErrorCode.INVALID_MESH),
    MeshProblem.EMPTY: (422, ErrorCode.EMPTY_MESH),
    MeshProblem.NON_FINITE: (422, ErrorCode.INVALID_MESH),
    MeshProblem.TOO_MANY_TRIANGLES: (413, ErrorCode.MESH_TOO_LARGE),
}


@dataclass(frozen=True)
class Metadata:
    name: str | None
    description: str | None
    category: str | None
    tags: list[str]
    units: analysis.Units | None


@dataclass(frozen=True)
class UploadResult:
    asset: Asset
    units: analysis.Units
    units_detected: bool
    deduplicated: bool


def safe_filename(name: str | None) -> str:
    """The uploader's file name, refused when it tries to be a path."""
    if not name or len(name) > 255 or _UNSAFE_NAME.search(name):
        raise ApiError(
            400, ErrorCode.INVALID_FILENAME, "The file name must be a plain name like 'hill.stl'."
        )
    return name


def spool(source: BinaryIO, directory: Path, limit: int) -> tuple[Path, str]:
    """Copy an upload to a temporary file, hashing it; 413 past `limit` bytes."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix="upload-") as out:
        try:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        413,
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        f"The file is larger than the {limit / 1024 / 1024:.0f} MB limit.",
                    )
                digest.update(chunk)
                out.write(chunk)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    if size == 0:
        Path(out.name).unlink(missing_ok=True)
        raise ApiError(422, ErrorCode.EMPTY_MESH, "The file is empty.")
    return Path(out.name), digest.hexdigest()


def _keys(
    content_hash: str, suffix: str, units: analysis.Units, max_triangles: int
) -> dict[str, str]:
    shard = content_hash[:2]
    return {
        "original": f"originals/{shard}/{content_hash}{suffix}",
        "glb": f"meshes/{shard}/{content_hash}-{units.value}.glb",
        "display": f"display/{shard}/{content_hash}-{units.value}-{max_triangles}.glb",
        "thumbnail": f"thumbnails/{shard}/{content_hash}-{units.value}.png",
    }


def ingest(
    db: Session,
    storage: Storage,
    artist: User,
    source: BinaryIO,
    filename: str | None,
    metadata: Metadata,
    settings: Settings,
    now: datetime,
    asset_id: uuid.UUID | None = None,
) -> UploadResult:
    """Turn an uploaded file into a draft asset; nothing is stored when the file is refused.

    `asset_id` is for assets whose id is known elsewhere already (the bundled sample library).
    """
    name = safe_filename(filename)
    try:
        analysis.file_type(name)
    except MeshError as exc:
        raise _as_api_error(exc) from None
    path, content_hash = spool(source, storage.temp_dir(), settings.max_upload_bytes)
    try:
        existing = db.scalar(
            select(Asset).where(
                Asset.artist_id == artist.id,
                Asset.content_hash == content_hash,
                Asset.status != "archived",
            )
        )
        if existing is not None:
            units = analysis.Units(existing.source_units or "mm")
            return UploadResult(existing, units, False, True)
        return _new_asset(
            db, storage, artist, path, name, content_hash, metadata, settings, now, asset_id
        )
    finally:
        path.unlink(missing_ok=True)


def _new_asset(
    db: Session,
    storage: Storage,
    artist: User,
    path: Path,
    name: str,
    content_hash: str,
    metadata: Metadata,
    settings: Settings,
    now: datetime,
    asset_id: uuid.UUID | None = None,
) -> UploadResult:
    try:
        measured = processing.process(
            path,
            metadata.units,
            name=name,
            max_triangles=settings.max_upload_triangles,
            budgets=processing.ladder_under(settings.display_max_triangles),
        )
    except MeshError as exc:
        raise _as_api_error(exc) from None
    keys = _keys(
        content_hash, Path(name).suffix.lower(), measured.units, settings.display_max_triangles
    )
    if not storage.exists(keys["original"]):
        storage.put_file(keys["original"], path)
    if not storage.exists(keys["glb"]):
        storage.put_bytes(keys["glb"], measured.full_glb())
    light = measured.display is not measured.mesh
    display_key = keys["display"] if light else keys["glb"]
    if light and not storage.exists(display_key):
        storage.put_bytes(display_key, measured.display_glb())
    if not storage.exists(keys["thumbnail"]):
        storage.put_bytes(keys["thumbnail"], measured.thumbnail_png)
    x, y, z = measured.dimensions_mm
    asset = Asset(
        id=asset_id or uuid.uuid4(),
        artist_id=artist.id,
        name=metadata.name
        or Path(name).stem.replace("_", " ").replace("-", " ").strip()[:200]
        or "Untitled model",
        description=metadata.description,
        category=metadata.category,
        tags=metadata.tags,
        content_hash=content_hash,
        original_filename=name,
        source_units=measured.units.value,
        file_ref=keys["original"],
        glb_file_path=keys["glb"],
        display_file_path=display_key,
        thumbnail_path=keys["thumbnail"],
        dimensions_mm={"x": x, "y": y, "z": z},
        poly_count=measured.triangles,
        status="draft",
        created_at=now,
        updated_at=now,
    )
    catalogue.refresh_search_document(asset, artist)
    db.add(asset)
    db.commit()
    return UploadResult(asset, measured.units, measured.units_detected, False)


def _as_api_error(exc: MeshError) -> ApiError:
    status, code = _PROBLEM_CODES[exc.problem]
    return ApiError(status, code, exc.message)
