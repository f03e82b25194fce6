"""Where model files live: a small interface, with a local-directory implementation.

Keys are relative paths derived from content hashes, so identical files share one copy. An
S3-compatible store implements the same interface (`server.s3_storage`); routes serve
files through it.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[a-z0-9]+(/[a-z0-9][a-z0-9._-]*)+$")


def check_key(key: str) -> str:
    """A key is a relative path of lower-case names; nothing that could climb out of the store."""
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"invalid storage key {key!r}")
    return key


class Storage(Protocol):
    def exists(self, key: str) -> bool: ...
    def put_file(self, key: str, source: Path) -> None: ...
    def put_bytes(self, key: str, data: bytes) -> None: ...
    def move_into(self, key: str, source: Path) -> None:
        """Store `source` (a file in `temp_dir()`) under `key`, consuming it; when the key is
        already stored (the same content), `source` is simply removed."""
        ...

    def local_path(self, key: str) -> Path:
        """A path on this machine holding the file (a cached copy for remote stores)."""
        ...

    def delete(self, key: str) -> None: ...
    def temp_dir(self) -> Path:
        """A directory for uploads in progress, on the same file system as the store."""
        ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def put_file(self, key: str, source: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, staging)
        os.replace(staging, target)  # readers never see a half-written file

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".") as handle:
            handle.write(data)
        os.replace(handle.name, target)

    def move_into(self, key: str, source: Path) -> None:
        target = self._path(key)
        if target.is_file():
            source.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)  # same file system: atomic, no copy

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def temp_dir(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(exist_ok=True)
        return path

    def keys(self) -> list[str]:
        """Every stored key (for tests and maintenance)."""
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.parent.name != "tmp"
        )
