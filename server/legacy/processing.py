"""The ONE place where a legacy model file enters the upload pipeline.

Today that is `uploads.ingest`, the function an artist's upload goes through (measured, stored
by content hash, display mesh and thumbnail made), run in its own short transaction. When
uploads move to the out-of-process job worker, only this module changes: it will enqueue a
processing job instead.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from server.db.models import Asset, User
from server.errors import ApiError
from server.services import uploads
from server.settings import Settings
from server.storage import Storage
from terrain_meshes import analysis
from terrain_meshes.errors import MeshError

#: The asset columns processing fills in, copied onto the imported asset.
FILE_FIELDS = (
    "content_hash",
    "original_filename",
    "source_units",
    "file_ref",
    "glb_file_path",
    "display_file_path",
    "thumbnail_path",
    "dimensions_mm",
    "poly_count",
)


class ProcessingFailed(Exception):
    """The file could not be made into an asset; the message says why, for the report."""


@dataclass(frozen=True)
class Processed:
    fields: dict[str, Any]
    #: A row processing had to create under another id (the wanted one was taken); the
    #: import deletes it once the fields are on the right asset.
    scratch_asset_id: uuid.UUID | None = None


def process_model_file(
    sessions: Callable[[], Session],
    storage: Storage,
    settings: Settings,
    artist_id: uuid.UUID,
    asset_id: uuid.UUID,
    path: Path,
    now: datetime,
) -> Processed:
    """Run a legacy file through the upload pipeline and return what it measured and stored."""
    metadata = uploads.Metadata(None, None, None, [], None)
    with sessions() as db:
        artist = db.get(User, artist_id)
        assert artist is not None, "users are imported before their models"
        wanted = asset_id if db.get(Asset, asset_id) is None else uuid.uuid4()
        try:
            with path.open("rb") as source:
                result = uploads.ingest(
                    db, storage, artist, source, path.name, metadata, settings, now, wanted
                )
        except ApiError as refused:
            raise ProcessingFailed(refused.message) from None
        except Exception as exc:  # a hostile or odd file must never stop the import
            raise ProcessingFailed(f"the file could not be processed ({exc})") from None
        asset = result.asset
        fields = {name: getattr(asset, name) for name in FILE_FIELDS}
        scratch = asset.id if asset.id == wanted and wanted != asset_id else None
        return Processed(fields, scratch)


def measure_only(path: Path, settings: Settings) -> Processed:
    """What a dry run does instead: open and measure the file, store nothing."""
    try:
        measured = analysis.analyse(path, path.name, None, settings.max_upload_triangles)
    except MeshError as exc:
        raise ProcessingFailed(exc.message) from None
    except Exception as exc:
        raise ProcessingFailed(f"the file could not be processed ({exc})") from None
    x, y, z = measured.dimensions_mm
    return Processed(
        {
            "source_units": measured.units.value,
            "dimensions_mm": {"x": x, "y": y, "z": z},
            "poly_count": measured.triangles,
        }
    )
