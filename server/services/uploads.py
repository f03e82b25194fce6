"""Artists' model uploads: checked from their headers, stored by content hash, queued.

The file arrives already on disk (the multipart parser spools it there); this module
copies it into the store's temporary area while hashing, never holding it whole in memory.
Measuring, display meshes and thumbnails happen later, out of this process
(server/services/asset_processing.py).
"""

import hashlib
import logging
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
from server.services import asset_processing, catalogue
from server.settings import Settings
from server.storage import Storage
from terrain_meshes import formats, limits
from terrain_meshes.errors import MeshError, MeshProblem
from terrain_protocol.catalogue import DEFAULT_LICENCE
from terrain_protocol.errors import ErrorCode

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\ud800-\udfff]|^\.|\.\.")

_PROBLEM_CODES = {
    MeshProblem.UNSUPPORTED_TYPE: (415, ErrorCode.UNSUPPORTED_FILE_TYPE),
    MeshProblem.NOT_A_MESH: (422, ErrorCode.INVALID_MESH),
    MeshProblem.EMPTY: (422, ErrorCode.EMPTY_MESH),
    MeshProblem.NON_FINITE: (422, ErrorCode.INVALID_MESH),
    MeshProblem.TOO_MANY_TRIANGLES: (413, ErrorCode.MESH_TOO_LARGE),
    MeshProblem.TOO_LARGE: (422, ErrorCode.INVALID_MESH),
    MeshProblem.OVER_LIMITS: (413, ErrorCode.MESH_TOO_LARGE),
}


@dataclass(frozen=True)
class Metadata:
    name: str | None
    description: str | None
    category: str | None
    tags: list[str]
    units: formats.Units | None
    licence: str | None = None


@dataclass(frozen=True)
class UploadResult:
    asset: Asset
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


def _storable(metadata: Metadata) -> None:
    """PostgreSQL refuses NUL and lone surrogates; refuse them here, before anything is kept."""
    texts = [metadata.name, metadata.description, metadata.category, *metadata.tags]
    for text in texts:
        if text is None:
            continue
        if "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text):
            raise ApiError(
                400, ErrorCode.INVALID_CHARACTERS, "Text may not contain NUL or lone surrogates."
            )


def original_key(content_hash: str, suffix: str) -> str:
    return f"originals/{content_hash[:2]}/{content_hash}{suffix}"


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
    """Store an upload and queue its processing; the asset starts out `processing`.

    Only cheap header checks run here (the declared triangle count, a 3MF's central
    directory); loading and rendering happen in the worker's sandboxed child. The file stays
    in the store's temporary area until the asset row has committed, so a refused upload or a
    failed commit leaves nothing behind. `asset_id` is for assets whose id is known elsewhere
    already (the bundled sample library).
    """
    name = safe_filename(filename)
    _storable(metadata)
    try:
        kind = formats.file_type(name)
    except MeshError as exc:
        raise _as_api_error(exc) from None
    path, content_hash = spool(source, storage.temp_dir(), settings.max_upload_bytes)
    try:
        try:
            limits.preflight(
                path,
                kind,
                limits.Limits(settings.max_upload_triangles, settings.max_decompressed_bytes),
            )
        except MeshError as exc:
            raise _as_api_error(exc) from None
        existing = db.scalar(
            select(Asset).where(
                Asset.artist_id == artist.id,
                Asset.content_hash == content_hash,
                Asset.status != "archived",
                Asset.processing_state != "failed",
            )
        )
        if existing is not None:
            return UploadResult(existing, True)
        key = original_key(content_hash, Path(name).suffix.lower())
        asset = _new_asset(db, artist, name, key, content_hash, metadata, now, asset_id)
        try:
            storage.move_into(key, path)  # after the commit: a refused row leaves no file
        except OSError:  # the job finds no original and fails the asset with a reason
            log.exception("could not move upload %s into place", key)
        return UploadResult(asset, False)
    finally:
        path.unlink(missing_ok=True)


def _new_asset(
    db: Session,
    artist: User,
    name: str,
    key: str,
    content_hash: str,
    metadata: Metadata,
    now: datetime,
    asset_id: uuid.UUID | None,
) -> Asset:
    asset = Asset(
        id=asset_id or uuid.uuid4(),
        artist_id=artist.id,
        name=metadata.name
        or Path(name).stem.replace("_", " ").replace("-", " ").strip()[:200]
        or "Untitled model",
        description=metadata.description,
        category=metadata.category,
        tags=metadata.tags,
        licence=metadata.licence or DEFAULT_LICENCE,
        content_hash=content_hash,
        original_filename=name,
        file_ref=key,
        status="draft",
        processing_state="processing",
        created_at=now,
        updated_at=now,
    )
    catalogue.refresh_search_document(asset, artist)
    db.add(asset)
    db.flush()
    asset_processing.enqueue_processing(
        db, asset.id, metadata.units.value if metadata.units else None
    )
    db.commit()
    return asset


def _as_api_error(exc: MeshError) -> ApiError:
    status, code = _PROBLEM_CODES[exc.problem]
    return ApiError(status, code, exc.message)
