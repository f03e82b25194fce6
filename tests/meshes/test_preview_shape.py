"""Every stored tier keeps the model's shape, previews above all: measured against the model.

The demo catalogue's Ruined tower (seventeen boxes, 204 triangles) once had a 48-triangle
preview of torn spikes; a real OpenForge Tudor wall's coarse tiers lost its beams. The bound
is `lod.MAX_DEVIATION` of the sampled Hausdorff distance, and the silhouettes from above, the
front and the side must cover what the model's do (rendered off-screen, `fidelity`).
"""

from pathlib import Path

import numpy as np
import pytest

from terrain_meshes import deviation, fidelity, lod, processing, tiers
from terrain_meshes.analysis import Units
from tests.shared_testdata import openforge_kit

TOWER = Path(__file__).resolve().parents[2] / "resources" / "sample_library" / "ruined-tower.glb"


def assert_every_stored_tier_keeps_the_shape(result: processing.Result) -> list[tiers.Tier]:
    stored = result.stored_ladder()
    surface = deviation.Surface(result.mesh)
    with fidelity.Reference(result.mesh, pixels=240) as reference:
        for tier in stored[1:]:
            label = f"tier of {tier.triangles} triangles"
            assert surface.deviation(tier.mesh) <= lod.MAX_DEVIATION, label
            found = reference.compare(tier.mesh, samples=500)
            assert min(found.silhouette_iou.values()) >= 0.85, label
    assert any(t.preview for t in stored)
    assert all(t.mesh is not result.mesh for t in stored if t.preview)
    return stored


def test_the_demo_towers_preview_is_the_tower() -> None:
    result = processing.process(TOWER, Units.MM)

    stored = assert_every_stored_tier_keeps_the_shape(result)

    assert result.triangles == 204
    (preview,) = (t for t in stored if t.preview)
    # Not the artist's file: (nearly) every corner is off the model's, by under a grid cell.
    gaps = result.mesh.vertices[:, None, :] - preview.mesh.vertices[None, :, :]
    nearest = np.linalg.norm(gaps, axis=2).min(axis=1)  # from each of the model's corners
    assert (nearest > 0.01).mean() > 0.9
    assert nearest.max() <= np.linalg.norm(result.mesh.extents) / tiers.COARSE_STEPS


@pytest.mark.parametrize("name", ["tudor_wall_1x1.stl", "cell_wall_1x4.stl"])
def test_real_pieces_tiers_keep_their_shape(name: str) -> None:
    result = processing.process(openforge_kit(name), Units.MM)

    stored = assert_every_stored_tier_keeps_the_shape(result)

    if result.triangles > tiers.SMALL_MODEL:  # a large piece's previews stay a quarter at most
        assert all(t.triangles * 4 <= result.triangles for t in stored if t.preview)
        assert len([t for t in stored if t.preview]) >= 4
