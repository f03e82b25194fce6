"""Model files in an S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...).

Keys are the same content-addressed keys as on local disk, under an optional prefix, so several
API processes and workers on different machines share one store. Uploads in progress are spooled
to local disk first (bounded by the same upload limit), then streamed to the bucket; files being
served are streamed from the bucket into a local read cache, which never goes stale because a
key's content never changes. Credentials come from the usual AWS environment (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, or an instance role), never from the URL.
"""

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from server.storage import check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}
#: Multipart above 16 MB, in 16 MB parts: a 200 MB upload never sits in memory whole.
_TRANSFER = TransferConfig(
    multipart_threshold=16 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024
)


class S3Storage:
    def __init__(
        self,
        bucket: str,
        cache_dir: Path,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.cache = cache_dir.resolve()
        self.cache.mkdir(parents=True, exist_ok=True)
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}),
        )

    @classmethod
    def from_url(cls, url: str, cache_dir: Path) -> "S3Storage":
        """`s3://bucket[/prefix][?endpoint=http://host:9000&region=eu-west-1]`."""
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError(f"not an s3:// storage URL: {url!r}")
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return cls(
            parsed.netloc,
            cache_dir,
            prefix=parsed.path,
            endpoint_url=query.get("endpoint"),
            region=query.get("region"),
        )

    def _object(self, key: str) -> str:
        return self.prefix + check_key(key)

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def put_file(self, key: str, source: Path) -> None:
        self.client.upload_file(str(source), self.bucket, self._object(key), Config=_TRANSFER)

    def move_into(self, key: str, source: Path) -> None:
        """Upload a spooled file (unless the same content is stored already), then remove it."""
        try:
            if not self.exists(key):
                self.put_file(key, source)
        finally:
            source.unlink(missing_ok=True)

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data)

    def local_path(self, key: str) -> Path:
        """A cached copy, fetched on first use (content-addressed: it never changes)."""
        target = self.cache / check_key(key)
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(dir=target.parent, prefix=".")
        os.close(handle)
        try:
            self.client.download_file(self.bucket, self._object(key), staging, Config=_TRANSFER)
            os.replace(staging, target)  # readers never see a half-fetched file
        finally:
            Path(staging).unlink(missing_ok=True)
        return target

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))
        (self.cache / check_key(key)).unlink(missing_ok=True)

    def temp_dir(self) -> Path:
        path = self.cache / "tmp"
        path.mkdir(exist_ok=True)
        return path

    def keys(self) -> list[str]:
        """Every stored key (for tests and maintenance)."""
        found: list[str] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            found.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        return sorted(found)
