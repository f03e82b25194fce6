"""Level-of-detail ladders are built once and read back on later starts, tier for tier."""

from pathlib import Path

import numpy as np
import pytest

from terrain_desktop.domain.catalogue import SAMPLE_LIBRARY
from terrain_desktop.scene import ladder_cache
from terrain_desktop.scene.meshes import MeshCache


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(tmp_path))
    return tmp_path


def heaviest_sample_mesh() -> Path:
    return max(SAMPLE_LIBRARY.rglob("*.glb"), key=lambda path: path.stat().st_size)


def test_a_second_start_reads_the_same_tiers_from_disk(data_dir: Path) -> None:
    mesh = heaviest_sample_mesh()
    built = MeshCache(lod_triangles=2_500).tiers(mesh)
    assert len(built) > 1, "the sample mesh should need lighter tiers"
    assert list(ladder_cache.cache_dir().glob("*.npz")), "the ladder was not saved"

    read = MeshCache(lod_triangles=2_500).tiers(mesh)

    assert [tier.n_cells for tier in read] == [tier.n_cells for tier in built]
    for first, second in zip(built, read, strict=True):
        np.testing.assert_array_equal(first.points, second.points)
        np.testing.assert_array_equal(first.point_data["Normals"], second.point_data["Normals"])


def test_a_damaged_cache_file_is_rebuilt(data_dir: Path) -> None:
    mesh = heaviest_sample_mesh()
    built = MeshCache(lod_triangles=2_500).tiers(mesh)
    for saved in ladder_cache.cache_dir().glob("*.npz"):
        saved.write_bytes(b"not a ladder")

    again = MeshCache(lod_triangles=2_500).tiers(mesh)

    assert [tier.n_cells for tier in again] == [tier.n_cells for tier in built]
