"""The storage the settings name: a local directory, or an S3-compatible bucket by URL."""

from pathlib import Path

from server.settings import Settings
from server.storage import LocalStorage, Storage


def storage_for(settings: Settings) -> Storage:
    """`TERRAIN_STORAGE_URL=s3://bucket?endpoint=...` selects S3, else `TERRAIN_STORAGE_DIR`."""
    url = settings.storage_url
    if url and url.startswith("s3://"):
        from server.s3_storage import S3Storage  # boto3 is needed only by those who use it

        return S3Storage.from_url(url, Path(settings.storage_cache_dir))
    if url and url.startswith("file://"):
        return LocalStorage(Path(url.removeprefix("file://")))
    if url:
        raise ValueError(f"TERRAIN_STORAGE_URL must start with s3:// or file://, not {url!r}")
    return LocalStorage(Path(settings.storage_dir))
