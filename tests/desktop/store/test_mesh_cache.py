"""The content-addressed cache of display meshes: one copy per content, a size limit that
evicts the least recently used, and nothing but whole meshes ever served."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.store.mesh_cache import AssetInfo, DisplayMeshCache, DownloadRejected, TierRef

MESHES = sorted({a.mesh_path for a in bundled_library().values()}, key=lambda p: p.name)


def chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def cut_short(data: bytes, after: int) -> Iterator[bytes]:
    """A connection that drops after `after` bytes."""
    yield data[:after]
    raise ConnectionResetError("the connection dropped")


def blobs(cache: DisplayMeshCache) -> list[Path]:
    return sorted((cache.root / "objects").rglob("*.glb"))


def test_the_same_mesh_is_stored_once_for_every_table_and_asset(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    data = MESHES[0].read_bytes()
    # Two assets with the same content (say, a re-upload), used on different tables.
    first = cache.add("asset-a", chunks(data), len(data))
    second = cache.add("asset-b", chunks(data), len(data))

    assert first == second == cache.path("asset-a") == cache.path("asset-b")
    assert blobs(cache) == [first]
    assert first.name == f"{hashlib.sha256(data).hexdigest()}.glb"
    assert first.read_bytes() == data
    assert cache.total_bytes() == len(data)
    # Another app start (a new cache object on the same folder) finds it, checked.
    assert DisplayMeshCache(tmp_path / "meshes").path("asset-b") == first


def test_past_the_limit_the_least_recently_used_meshes_go(tmp_path: Path) -> None:
    datas = [m.read_bytes() for m in MESHES[:3]]
    limit = len(datas[0]) + len(datas[1]) + len(datas[2]) - 1  # all three do not fit
    cache = DisplayMeshCache(tmp_path / "meshes", limit_bytes=limit)
    for name, data in zip("abc", datas, strict=True):
        cache.add(name, chunks(data), len(data))
        if name == "b":
            assert cache.path("a") is not None  # used again: now b is the oldest
    assert cache.path("b") is None  # least recently used: gone
    assert cache.path("a") is not None and cache.path("c") is not None
    assert cache.total_bytes() <= limit
    assert len(blobs(cache)) == 2

    # Lowering the limit below one mesh keeps the one just stored, and only it.
    cache.limit_bytes = 1
    cache.add("b", chunks(datas[1]), len(datas[1]))
    assert cache.path("b") is not None
    assert cache.path("a") is None and cache.path("c") is None
    assert [p.read_bytes() for p in blobs(cache)] == [datas[1]]


def test_the_open_tables_meshes_are_never_evicted(tmp_path: Path) -> None:
    datas = [m.read_bytes() for m in MESHES[:3]]
    cache = DisplayMeshCache(tmp_path / "meshes", limit_bytes=0)
    cache.pinned = {"on-the-table", "also-on-it"}
    cache.add("on-the-table", chunks(datas[0]), len(datas[0]))
    cache.add("also-on-it", chunks(datas[1]), len(datas[1]))
    cache.add("elsewhere", chunks(datas[2]), len(datas[2]))
    cache.add("on-the-table-too", chunks(datas[0]), len(datas[0]))  # shares the first's mesh
    assert cache.path("on-the-table") is not None and cache.path("also-on-it") is not None
    assert cache.path("on-the-table-too") is not None  # the same content, kept with it
    cache.evict()
    assert cache.path("elsewhere") is None  # only what no open table shows goes
    assert len(blobs(cache)) == 2


def test_what_is_known_of_an_asset_outlives_its_evicted_mesh(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes", limit_bytes=0)
    cache.remember(AssetInfo("hill", "Big hill", "hills", ("grass",), (300.0, 200.0, 80.0)))
    data = MESHES[0].read_bytes()
    cache.add("hill", chunks(data), len(data))
    cache.add("other", chunks(MESHES[1].read_bytes()))
    assert cache.path("hill") is None
    info = cache.info("hill")
    assert info is not None and info.size_mm == (300.0, 200.0, 80.0) and info.name == "Big hill"


def test_a_download_cut_short_is_never_served(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    data = MESHES[0].read_bytes()

    with pytest.raises(ConnectionResetError):
        cache.add("hill", cut_short(data, len(data) // 2), len(data))
    assert cache.path("hill") is None

    # The server said less than it sent, or a proxy cut the body without saying so.
    with pytest.raises(DownloadRejected):
        cache.add("hill", chunks(data[: len(data) // 2]), len(data))
    with pytest.raises(DownloadRejected):  # no length announced: the GLB header tells
        cache.add("hill", chunks(data[: len(data) // 2]))
    with pytest.raises(DownloadRejected):  # not a mesh at all (an error page, say)
        cache.add("hill", chunks(b"<html>Bad gateway</html>"))

    assert cache.path("hill") is None
    assert blobs(cache) == []
    assert list((cache.root / "tmp").iterdir()) == []  # no half-written file left behind


def test_a_mesh_damaged_on_disk_is_dropped_not_drawn(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    data = MESHES[0].read_bytes()
    stored = cache.add("hill", chunks(data), len(data))
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF  # same length, one byte flipped
    stored.write_bytes(bytes(damaged))

    restarted = DisplayMeshCache(tmp_path / "meshes")  # the next run checks before serving
    assert restarted.path("hill") is None
    assert not stored.exists()

    # Fetched again, it is served again.
    assert restarted.add("hill", chunks(data), len(data)) == stored
    assert restarted.path("hill") == stored


def test_a_truncated_file_on_disk_is_noticed_at_once(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    data = MESHES[0].read_bytes()
    stored = cache.add("hill", chunks(data), len(data))
    stored.write_bytes(data[:100])
    assert cache.path("hill") is None  # even in the run that checked it whole before


def ladder_of(datas: list[bytes]) -> list[TierRef]:
    """A server ladder listing these files, densest first (the larger file first)."""
    ordered = sorted(datas, key=len, reverse=True)
    return [
        TierRef(hashlib.sha256(d).hexdigest(), 1000 * (len(ordered) - i), len(d), f"/t/{i}", True)
        for i, d in enumerate(ordered)
    ]


def test_a_tier_must_be_the_file_the_server_listed(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    listed, other = MESHES[0].read_bytes(), MESHES[1].read_bytes()
    tier = ladder_of([listed])[0]
    cache.set_ladder("asset-a", [tier])

    with pytest.raises(DownloadRejected, match="not the one the server listed"):
        cache.add_tier("asset-a", TierRef(tier.sha256, 1000, len(other), "/t/0", True), [other])

    assert blobs(cache) == [] and cache.path("asset-a") is None
    stored = cache.add_tier("asset-a", tier, chunks(listed))
    assert cache.path("asset-a") == stored and cache.tier_paths("asset-a") == [stored]


def test_the_asset_is_drawn_with_its_densest_tier_on_disk_within_the_top(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes")
    datas = [m.read_bytes() for m in MESHES[:3]]
    dense, middle, coarse = ladder_of(datas)
    cache.set_ladder("asset-a", [dense, middle, coarse])
    by_hash = {hashlib.sha256(d).hexdigest(): d for d in datas}

    for tier in (coarse, middle, dense):  # coarsest first, as downloads bring them
        cache.add_tier("asset-a", tier, [by_hash[tier.sha256]], top=middle.triangles)

    assert cache.path("asset-a") == cache.blob_path(middle.sha256)  # dense is over the top
    assert cache.tier_paths("asset-a", middle.triangles) == [
        cache.blob_path(middle.sha256),
        cache.blob_path(coarse.sha256),
    ]
    assert cache.ladder("asset-a") == [dense, middle, coarse]


def test_the_open_tables_tiers_are_all_kept_past_the_limit(tmp_path: Path) -> None:
    cache = DisplayMeshCache(tmp_path / "meshes", limit_bytes=1)
    datas = [m.read_bytes() for m in MESHES[:2]]
    tiers = ladder_of(datas)
    cache.set_ladder("asset-a", tiers)
    cache.pinned = {"asset-a"}
    by_hash = {hashlib.sha256(d).hexdigest(): d for d in datas}

    for tier in reversed(tiers):
        cache.add_tier("asset-a", tier, [by_hash[tier.sha256]])

    assert len(cache.tier_paths("asset-a")) == 2  # both kept, though far over the limit
