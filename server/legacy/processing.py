"""The ONE place where a legacy model file enters the upload pipeline.

It does what an upload does (server/services/uploads.py): the file name and type are checked,
the file is copied into the store's temporary area while hashed (under the same size limit),
the cheap header checks run, the original is stored under its content-addressed key, and a
`process_asset` job is queued in the batch's transaction. `terrain-server worker` then
measures the mesh (dimensions are never taken from the legacy row), makes the display mesh and
the thumbnail in its sandboxed child, and marks the asset ready or failed with the reason.
"""

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from server.errors import ApiError
from server.jobs import queue
from server.services import asset_processing, uploads
from server.settings import Settings
from server.storage import Storage
from terrain_meshes import formats, limits
from terrain_meshes.errors import MeshError

#: What processing will fill in; cleared when a new original is queued.
PROCESSED_FIELDS = (
    "glb_file_path",
    "display_file_path",
    "thumbnail_path",
    "view_paths",
    "dimensions_mm",
    "poly_count",
    "source_units",
)


class ProcessingFailed(Exception):
    """The file cannot become an asset; the message says why, for the report."""


def _checked(path: Path, settings: Settings) -> tuple[str, str, limits.Limits]:
    try:
        name = uploads.safe_filename(path.name)
        kind = formats.file_type(name)
    except ApiError as refused:
        raise ProcessingFailed(refused.message) from None
    except MeshError as exc:
        raise ProcessingFailed(exc.message) from None
    return name, kind, limits.Limits(settings.max_upload_triangles, settings.max_decompressed_bytes)


def store_and_queue(
    db: Session,
    storage: Storage,
    settings: Settings,
    asset_id: uuid.UUID,
    path: Path,
    current_hash: str | None,
) -> dict[str, Any]:
    """Store the file and queue its processing; the asset columns to set (none when the asset
    already has this very file, processed or on its way)."""
    name, kind, bounds = _checked(path, settings)
    try:
        with path.open("rb") as source:
            spooled, digest = uploads.spool(source, storage.temp_dir(), settings.max_upload_bytes)
    except ApiError as refused:
        raise ProcessingFailed(refused.message) from None
    try:
        limits.preflight(spooled, kind, bounds)
        if digest == current_hash:
            return {}
        key = uploads.original_key(digest, Path(name).suffix.lower())
        storage.move_into(key, spooled)
    except MeshError as exc:
        raise ProcessingFailed(exc.message) from None
    finally:
        spooled.unlink(missing_ok=True)
    # The key names the content: a legacy model whose file was replaced is processed again.
    kind_name = asset_processing.KIND
    job_key = f"{kind_name}:{asset_id}:{digest}"
    queue.enqueue(db, kind_name, {"asset_id": str(asset_id), "units": None}, job_key)
    return {
        "content_hash": digest,
        "original_filename": name,
        "file_ref": key,
        "processing_state": "processing",
        "processing_error": None,
        **dict.fromkeys(PROCESSED_FIELDS),
    }


def measure_only(path: Path, settings: Settings) -> dict[str, Any]:
    """What a dry run does instead: the same checks, then open and measure; store nothing."""
    # Opening a mesh needs trimesh, which only the worker's install has (the API image's lacks
    # it): imported here, so that `terrain-server` itself starts without the mesh stack.
    from terrain_meshes import analysis

    name, kind, bounds = _checked(path, settings)
    try:
        limits.preflight(path, kind, bounds)
        measured = analysis.analyse(path, name, None, settings.max_upload_triangles)
    except MeshError as exc:
        raise ProcessingFailed(exc.message) from None
    except Exception as exc:  # a hostile or odd file must never stop the import
        raise ProcessingFailed(f"the file could not be processed ({exc})") from None
    x, y, z = measured.dimensions_mm
    return {
        "original_filename": name,
        "source_units": measured.units.value,
        "dimensions_mm": {"x": x, "y": y, "z": z},
        "poly_count": measured.triangles,
    }
