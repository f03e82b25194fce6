"""Display meshes of the server's assets, kept on disk by content and shared by every table.

A mesh is stored once under its SHA-256 (`objects/ab/abcdef….glb`), however many assets,
tables or sets use it; an index maps each asset id to the hash of its display mesh, and
keeps what is known of the asset (name, category, size), so a table opened offline can draw a
placeholder of the right size for a piece whose mesh never arrived. Past the size limit the
least recently used meshes are deleted (the index stays: they are downloaded again when
needed).

A mesh is served only whole: a download is written to a temporary file and hashed as it
comes, and joins the cache only when its length and GLB header agree and it is complete; a
file in the cache is checked against its hash the first time each run serves it, and a damaged
one is dropped (and fetched again) rather than drawn.
"""

import hashlib
import json
import os
import sqlite3
import struct
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

#: The default limit of the cache on disk (Preferences → mesh cache limit overrides it).
DEFAULT_LIMIT_BYTES = 2 * 1024**3
GLB_MAGIC = b"glTF"
#: Triangles a piece is drawn with at most (`scene.meshes`): denser tiers are not fetched.
DRAWN_TRIANGLES = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    -- last_used numbers the uses (not a time: two in one clock tick still have an order)
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, last_used REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS assets (
    asset_id TEXT PRIMARY KEY, sha256 TEXT, info TEXT NOT NULL, updated REAL NOT NULL
);
-- the server's ladder of an asset as this device may have it (densest first: level 0)
CREATE TABLE IF NOT EXISTS tiers (
    asset_id TEXT NOT NULL, level INTEGER NOT NULL, sha256 TEXT NOT NULL,
    triangles INTEGER NOT NULL, size INTEGER NOT NULL, url TEXT NOT NULL,
    preview INTEGER NOT NULL, PRIMARY KEY (asset_id, level)
);
"""


class DownloadRejected(Exception):
    """What arrived is not a whole display mesh (cut short, wrong length, not a GLB)."""


@dataclass(frozen=True)
class TierRef:
    """One mesh of a server asset's ladder: what the server listed (`MeshTierOut`)."""

    sha256: str
    triangles: int
    size: int
    url: str
    preview: bool


@dataclass(frozen=True)
class AssetInfo:
    """What the desktop knows of a server asset without its mesh."""

    id: str
    name: str
    category: str
    tags: tuple[str, ...] = ()
    size_mm: tuple[float, float, float] | None = None
    price: str = "0.00"
    #: False when the server gives this device only preview tiers (the model is not owned).
    full_access: bool = True


def default_root() -> Path:
    """Beside the app's data when `TERRAIN_DESKTOP_DATA` sets it (tests, portable installs)."""
    data = os.environ.get("TERRAIN_DESKTOP_DATA")
    base = Path(data) / "cache" if data else Path(user_cache_dir("terrain-builder"))
    return base / "meshes"


class DisplayMeshCache:
    """Safe to use from several threads and processes: each call opens its own connection,
    files appear by atomic rename."""

    def __init__(self, root: Path | None = None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.root = root or default_root()
        self.limit_bytes = limit_bytes
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)
        self._index = self.root / "index.sqlite"
        self._verified: set[str] = set()
        #: Assets whose meshes eviction leaves alone (those of the open table).
        self.pinned: set[str] = set()
        self._lock = threading.Lock()
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self._index, timeout=30)) as db, db:
            yield db

    def blob_path(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / f"{sha256}.glb"

    def missing_path(self, asset_id: str) -> Path:
        """Where an asset's mesh is said to be while it is not on disk (never a file)."""
        return self.root / "missing" / f"{asset_id}.glb"

    def thumbnail_path(self, asset_id: str) -> Path:
        """The asset's thumbnail (a small PNG, kept by asset id beside the meshes)."""
        return self.root / "thumbnails" / f"{asset_id}.png"

    def put_thumbnail(self, asset_id: str, data: bytes) -> None:
        target = self.thumbnail_path(asset_id)
        target.parent.mkdir(exist_ok=True)
        partial = self.root / "tmp" / f"{uuid.uuid4().hex}.png.part"
        partial.write_bytes(data)
        os.replace(partial, target)

    # -- what is known of assets ---------------------------------------------------------------

    def remember(self, info: AssetInfo) -> None:
        text = json.dumps(
            {
                "name": info.name,
                "category": info.category,
                "tags": list(info.tags),
                "size_mm": list(info.size_mm) if info.size_mm else None,
                "price": info.price,
                "full_access": info.full_access,
            }
        )
        with self._db() as db:
            db.execute(
                "INSERT INTO assets (asset_id, info, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (asset_id) DO UPDATE SET info = excluded.info, "
                "updated = excluded.updated",
                (info.id, text, time.time()),
            )

    def known(self) -> dict[str, AssetInfo]:
        """Every asset the cache knows, by id (one query: the catalogue reads it whole)."""
        with self._db() as db:
            rows = db.execute("SELECT asset_id, info FROM assets").fetchall()
        return {asset_id: _info(asset_id, text) for asset_id, text in rows}

    def info(self, asset_id: str) -> AssetInfo | None:
        with self._db() as db:
            row = db.execute("SELECT info FROM assets WHERE asset_id = ?", (asset_id,)).fetchone()
        return None if row is None else _info(asset_id, row[0])

    # -- meshes --------------------------------------------------------------------------------

    def path(self, asset_id: str, *, touch: bool = True) -> Path | None:
        """The asset's display mesh on disk, whole, or None (never downloaded, evicted or
        damaged). `touch` marks it used now (it is evicted last)."""
        with self._db() as db:
            row = db.execute(
                "SELECT b.sha256, b.size FROM assets a JOIN blobs b ON a.sha256 = b.sha256 "
                "WHERE a.asset_id = ?",
                (asset_id,),
            ).fetchone()
        if row is None:
            return None
        sha, size = row
        file = self.blob_path(sha)
        if not self._intact(file, sha, size):
            self._drop(sha)
            return None
        if touch:
            with self._db() as db:
                db.execute(
                    "UPDATE blobs SET last_used = "
                    "(SELECT COALESCE(MAX(last_used), 0) + 1 FROM blobs) WHERE sha256 = ?",
                    (sha,),
                )
        return file

    def paths(self, asset_ids: Iterable[str]) -> dict[str, Path]:
        """The meshes on disk of those assets (the others are missing)."""
        found = {}
        for asset_id in asset_ids:
            path = self.path(asset_id)
            if path is not None:
                found[asset_id] = path
        return found

    def _intact(self, file: Path, sha: str, size: int) -> bool:
        try:
            if file.stat().st_size != size:
                return False
        except OSError:
            return False
        if sha in self._verified:
            return True
        if _sha256(file) != sha:
            return False
        self._verified.add(sha)
        return True

    def _drop(self, sha: str) -> None:
        self.blob_path(sha).unlink(missing_ok=True)
        self._verified.discard(sha)
        with self._db() as db:
            db.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))

    def add(self, asset_id: str, chunks: Iterable[bytes], expected_size: int | None = None) -> Path:
        """Store an asset's display mesh as it arrives; its path once whole. Raises
        `DownloadRejected` (and keeps nothing) when it is cut short, longer or shorter than
        announced, or not a GLB; errors of `chunks` itself (a dropped connection) pass through,
        likewise keeping nothing."""
        target = self._store_blob(chunks, expected_size)
        self._point(asset_id, target.stem)
        return target

    def _store_blob(
        self, chunks: Iterable[bytes], expected_size: int | None, expected_sha: str | None = None
    ) -> Path:
        partial = self.root / "tmp" / f"{uuid.uuid4().hex}.part"
        digest = hashlib.sha256()
        size = 0
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            if expected_size is not None and size != expected_size:
                raise DownloadRejected(f"got {size} of {expected_size} bytes")
            _check_glb(partial, size)
            sha = digest.hexdigest()
            if expected_sha is not None and sha != expected_sha:
                raise DownloadRejected("the file is not the one the server listed")
            target = self.blob_path(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        with self._db() as db:
            db.execute(
                "INSERT INTO blobs (sha256, size, last_used) "
                "VALUES (?, ?, (SELECT COALESCE(MAX(last_used), 0) + 1 FROM blobs)) "
                "ON CONFLICT (sha256) DO UPDATE SET size = excluded.size, "
                "last_used = excluded.last_used",
                (sha, size),
            )
        self._verified.add(sha)
        self.evict(keep={sha})
        return target

    def _point(self, asset_id: str, sha: str) -> None:
        """Make `sha` the asset's mesh (what `path` answers)."""
        with self._db() as db:
            db.execute(
                "INSERT INTO assets (asset_id, sha256, info, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (asset_id) DO UPDATE SET sha256 = excluded.sha256",
                (asset_id, sha, json.dumps({"name": asset_id, "category": ""}), time.time()),
            )

    # -- the server's ladder ------------------------------------------------------------------

    def set_ladder(self, asset_id: str, tiers: Iterable[TierRef]) -> None:
        """Record the tiers the server lists for this device (replacing what was known: after
        a purchase the full tiers join the previews)."""
        with self._db() as db:
            db.execute("DELETE FROM tiers WHERE asset_id = ?", (asset_id,))
            db.executemany(
                "INSERT INTO tiers VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (asset_id, level, t.sha256, t.triangles, t.size, t.url, int(t.preview))
                    for level, t in enumerate(tiers)
                ],
            )

    def ladder(self, asset_id: str) -> list[TierRef]:
        """The tiers the server listed for the asset, densest first (none: not known yet)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT sha256, triangles, size, url, preview FROM tiers "
                "WHERE asset_id = ? ORDER BY level",
                (asset_id,),
            ).fetchall()
        return [TierRef(sha, tri, size, url, bool(p)) for sha, tri, size, url, p in rows]

    def tier_paths(self, asset_id: str, top: int | None = None) -> list[Path]:
        """The asset's tiers on disk (of at most `top` triangles), densest first: what the
        view draws as its ladder, built by the server, never rebuilt here."""
        found = []
        for tier in self.ladder(asset_id):
            if top is not None and tier.triangles > top:
                continue
            file = self.blob_path(tier.sha256)
            if self._intact(file, tier.sha256, tier.size):
                found.append(file)
        return found

    def add_tier(
        self, asset_id: str, tier: TierRef, chunks: Iterable[bytes], top: int | None = None
    ) -> Path:
        """Store one tier as it arrives, checked against the hash and size the server listed
        (`DownloadRejected` otherwise); the asset's mesh becomes its densest tier on disk."""
        target = self._store_blob(chunks, tier.size, tier.sha256)
        densest = next(iter(self.tier_paths(asset_id, top)), target)
        self._point(asset_id, densest.stem)
        return target

    # -- the limit -----------------------------------------------------------------------------

    def total_bytes(self) -> int:
        with self._db() as db:
            return int(db.execute("SELECT COALESCE(SUM(size), 0) FROM blobs").fetchone()[0])

    def evict(self, keep: Iterable[str] = ()) -> list[str]:
        """Delete the least recently used meshes until the cache fits its limit; the hashes
        deleted. `keep` (hashes just stored) and the meshes of `pinned` assets are never
        deleted."""
        spare = set(keep)
        removed: list[str] = []
        with self._lock, self._db() as db:
            for asset_id in list(self.pinned):
                row = db.execute("SELECT sha256 FROM assets WHERE asset_id = ?", (asset_id,))
                found = row.fetchone()
                if found is not None and found[0]:
                    spare.add(found[0])
                tiers = db.execute("SELECT sha256 FROM tiers WHERE asset_id = ?", (asset_id,))
                spare.update(sha for (sha,) in tiers.fetchall())
            total = int(db.execute("SELECT COALESCE(SUM(size), 0) FROM blobs").fetchone()[0])
            if total <= self.limit_bytes:
                return removed
            rows = db.execute("SELECT sha256, size FROM blobs ORDER BY last_used, sha256")
            for sha, size in rows.fetchall():
                if total <= self.limit_bytes:
                    break
                if sha in spare:
                    continue
                self.blob_path(sha).unlink(missing_ok=True)
                self._verified.discard(sha)
                db.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
                total -= size
                removed.append(sha)
        return removed

    def clear_partials(self) -> None:
        """Remove downloads a crash left half-written (they are never served anyway)."""
        for partial in (self.root / "tmp").glob("*.part"):
            partial.unlink(missing_ok=True)


def _info(asset_id: str, text: str) -> AssetInfo:
    data = json.loads(text)
    size = data.get("size_mm")
    return AssetInfo(
        id=asset_id,
        name=str(data.get("name") or "Asset"),
        category=str(data.get("category") or ""),
        tags=tuple(str(t) for t in data.get("tags") or ()),
        size_mm=(float(size[0]), float(size[1]), float(size[2])) if size else None,
        price=str(data.get("price") or "0.00"),
        full_access=bool(data.get("full_access", True)),
    )


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_glb(file: Path, size: int) -> None:
    """A binary glTF says its own length in its header: a file cut short cannot pass."""
    with file.open("rb") as handle:
        header = handle.read(12)
    if len(header) < 12 or header[:4] != GLB_MAGIC:
        raise DownloadRejected("not a binary glTF file")
    (declared,) = struct.unpack_from("<I", header, 8)
    if declared != size:
        raise DownloadRejected(f"the file says {declared} bytes, {size} arrived")
