"""Which meshes of a ladder may be shown to anyone: previews are reduced copies of at most a
quarter of the triangles that keep the shape — or, for a small model no quarter of which keeps
it, a coarse copy — never the model itself, however small or large."""

import numpy as np
import pytest
import trimesh

from terrain_meshes import deviation, lod, processing, tiers
from terrain_meshes.analysis import Units
from tests.meshes import samples


@pytest.mark.parametrize(
    ("mesh", "triangles"),
    [(samples.heavy(5), 20_480), (samples.heavy(6), 81_920)],
)
def test_every_model_gets_a_preview_of_a_quarter_at_most(
    mesh: trimesh.Trimesh, triangles: int
) -> None:
    result = processing.process_loaded(mesh, Units.MM)
    stored = result.stored_ladder()
    previews = [t for t in stored if t.preview]

    assert result.triangles == triangles and stored[0].full and stored[0].triangles == triangles
    assert previews and all(t.triangles * 4 <= triangles for t in previews)
    assert all(not t.full and t.mesh is not result.mesh for t in previews)
    best = previews[0].triangles
    assert best >= 0.75 * min(triangles // 4, lod.LADDER[0])  # as good as the rule allows
    assert [t.triangles for t in stored] == sorted((t.triangles for t in stored), reverse=True)


def test_a_small_model_no_quarter_of_which_keeps_its_shape_is_previewed_coarse() -> None:
    """A 24-sided cone of 48 triangles: its quarter would be a hexagonal pyramid, 6% of its
    size off. Its preview is the cone with every corner moved onto a coarse grid."""
    result = processing.process_loaded(samples.hill(), Units.MM)
    stored = result.stored_ladder()
    previews = [t for t in stored if t.preview]

    assert [t.full for t in stored] == [True, False] and previews == [stored[1]]
    coarse = previews[0].mesh
    assert coarse is not result.mesh and 0 < coarse.triangles.shape[0] <= 48
    moved = np.linalg.norm(coarse.vertices - result.mesh.vertices, axis=1)
    assert len(coarse.vertices) == len(result.mesh.vertices) and (moved > 1e-3).mean() > 0.9
    assert 0 < deviation.deviation(result.mesh, coarse) <= lod.MAX_DEVIATION


def test_a_model_too_small_to_quarter_has_no_preview() -> None:
    cube = processing.process_loaded(trimesh.creation.box(extents=(20, 20, 20)), Units.MM)

    assert [t.preview for t in cube.stored_ladder()] == [False]


def test_the_budgets_add_the_quarter_only_where_needed() -> None:
    assert tiers.budgets_for(400_000) == lod.LADDER  # 40,000 is a tenth already
    assert tiers.budgets_for(83_000) == (40_000, 20_750, 15_000, 6_000, 2_500, 1_000, 400)
    assert tiers.budgets_for(83_000, top=5_000) == (5_000, 2_500, 1_000, 400)
    assert tiers.budgets_for(12) == lod.LADDER
