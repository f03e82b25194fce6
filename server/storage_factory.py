"""The storage the settings name: a local directory, or (later) an S3-compatible bucket."""

from pathlib import Path

from server.settings import Settings
from server.storage import LocalStorage, Storage


def storage_for(settings: Settings) -> Storage:
    return LocalStorage(Path(settings.storage_dir))
