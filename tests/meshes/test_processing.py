"""The mesh pipeline on real terrain: every tier within its budget and true to the model.

The four OpenForge tiles are real STL files (every triangle's corners stored apart); the
million-triangle file is one of them subdivided, generated once per run. Fidelity is measured
against the full-resolution model: footprint and silhouettes rendered from above, the front
and the side, and the surface distance between the two.
"""

import io
from pathlib import Path

import numpy as np
import pytest
import trimesh

from terrain_meshes import deviation, fidelity, lod, processing, thumbnail, tiers
from terrain_meshes.analysis import Units
from tests.shared_testdata import openforge

TILES = [
    "of_1x1-staggered_curved_line_top.stl",
    "of_low_wall_pool_three_quarter_diagonal.stl",
    "of_face_25.stl",
    "of_smooth_curved_3x3.stl",
]


@pytest.fixture(scope="module")
def million_triangle_stl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pool tile subdivided four times: 1,125,376 triangles, as a binary STL."""
    tile = trimesh.load(openforge("of_low_wall_pool_three_quarter_diagonal.stl"))
    vertices, faces = tile.vertices, tile.faces
    for _ in range(4):
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    path = tmp_path_factory.mktemp("big") / "pool_1m.stl"
    trimesh.Trimesh(vertices, faces, process=False).export(path)
    return path


def assert_tiers_true_to_model(result: processing.Result, samples: int = 1000) -> None:
    budgets = tiers.budgets_for(min(result.triangles, len(result.mesh.faces)))
    assert set(lod.LADDER) <= set(budgets) and len(result.tiers) == len(budgets)
    distinct = {id(tier): tier for tier in result.tiers}  # light models share their tiers
    with fidelity.Reference(result.mesh, pixels=240) as reference:
        measured = {key: reference.compare(tier, samples) for key, tier in distinct.items()}
    for tier, budget in zip(result.tiers, budgets, strict=True):
        assert len(tier.faces) <= budget
        found = measured[id(tier)]
        label = f"tier of {len(tier.faces)} triangles"
        assert found.footprint_ratio == pytest.approx(1.0, abs=0.05), label
        for view, ratio in found.silhouette_ratio.items():
            assert ratio == pytest.approx(1.0, abs=0.05), f"{label}, {view}"
        assert min(found.silhouette_iou.values()) >= 0.9, label
        assert found.mean_distance < 0.01, label


def assert_thumbnail_has_no_holes(result: processing.Result) -> None:
    from PIL import Image

    shown = np.asarray(Image.open(io.BytesIO(result.thumbnail_png)).convert("RGB"))
    full = thumbnail.image(result.mesh, size=shown.shape[0], bounds=result.mesh.bounds)
    covered, expected = thumbnail.coverage(shown), thumbnail.coverage(full)
    assert expected.sum() > 0.1 * expected.size  # the model fills a good part of the picture
    missing = (expected & ~covered).sum() / expected.sum()
    extra = (covered & ~expected).sum() / expected.sum()
    assert missing < 0.02 and extra < 0.02


@pytest.mark.parametrize("name", TILES)
def test_real_tiles_get_tiers_within_budget_and_true_to_the_model(name: str) -> None:
    result = processing.process(openforge(name), Units.MM)

    assert result.triangles == len(trimesh.load(openforge(name), process=False).faces)
    assert result.mesh.is_watertight or name == "of_face_25.stl"  # merged: one surface again
    assert_tiers_true_to_model(result)
    assert_thumbnail_has_no_holes(result)
    assert_previews_are_a_quarter_at_most(result)


def assert_previews_are_a_quarter_at_most(result: processing.Result) -> None:
    """The stored ladder starts with the whole mesh; its previews are reduced copies of at most
    a quarter of the triangles, the densest close to that quarter — or, for a small model no
    quarter of which keeps the shape, its one coarse copy — and every preview keeps the shape
    (measured here, against the whole mesh)."""
    stored = result.stored_ladder()
    previews = [t for t in stored if t.preview]
    assert stored[0].mesh is result.mesh and not stored[0].preview
    assert previews and all(t.mesh is not result.mesh for t in previews)
    quarter = [t for t in previews if t.triangles * 4 <= result.triangles]
    if quarter != previews:
        assert result.triangles <= tiers.SMALL_MODEL and previews == [previews[0]] and not quarter
    else:
        assert previews[0].triangles >= 0.8 * min(result.triangles // 4, lod.LADDER[0])
    surface = deviation.Surface(result.mesh)
    assert all(0 < surface.deviation(t.mesh) <= lod.MAX_DEVIATION for t in previews)


def test_a_million_triangle_stl_reaches_every_budget_and_stays_whole(
    million_triangle_stl: Path,
) -> None:
    result = processing.process(million_triangle_stl, Units.MM)

    assert result.triangles == 1_125_376
    assert [len(t.faces) <= b for t, b in zip(result.tiers, lod.LADDER, strict=True)] == [
        True
    ] * len(lod.LADDER)
    assert_tiers_true_to_model(result, samples=500)
    assert_thumbnail_has_no_holes(result)


def test_an_unmerged_stl_is_made_whole_before_it_is_simplified(tmp_path: Path) -> None:
    """The bug this pipeline exists for: decimating loose STL triangles shreds the model."""
    rock = trimesh.creation.icosphere(subdivisions=6, radius=20.0)
    path = tmp_path / "rock.stl"
    rock.export(path)  # STL: 81,920 triangles, every corner stored three-plus times

    result = processing.process(path, Units.MM, budgets=(5_000, 500))

    assert len(result.mesh.vertices) == len(rock.vertices)
    for tier in result.tiers:
        assert tier.is_watertight
        assert abs(tier.area - rock.area) / rock.area < 0.03
