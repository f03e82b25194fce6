"""Which meshes of a ladder may be shown to anyone: previews are reduced copies of at most a
quarter of the triangles, however small or large the model."""

import pytest
import trimesh

from terrain_meshes import lod, processing, tiers
from terrain_meshes.analysis import Units
from tests.meshes import samples


@pytest.mark.parametrize(
    ("mesh", "triangles"),
    [(samples.hill(), 48), (samples.heavy(5), 20_480), (samples.heavy(6), 81_920)],
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


def test_a_model_too_small_to_quarter_has_no_preview() -> None:
    cube = processing.process_loaded(trimesh.creation.box(extents=(20, 20, 20)), Units.MM)

    assert [t.preview for t in cube.stored_ladder()] == [False]


def test_the_budgets_add_the_quarter_only_where_needed() -> None:
    assert tiers.budgets_for(400_000) == lod.LADDER  # 40,000 is a tenth already
    assert tiers.budgets_for(83_000) == (40_000, 20_750, 15_000, 6_000, 2_500, 1_000, 400)
    assert tiers.budgets_for(83_000, top=5_000) == (5_000, 2_500, 1_000, 400)
    assert tiers.budgets_for(12) == lod.LADDER
