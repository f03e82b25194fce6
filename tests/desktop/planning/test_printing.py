"""Printer-bed fit and material, on pieces whose answer follows from their size."""

import math

import numpy as np
import pytest
import trimesh

from terrain_desktop.planning.printing import Printer, bill_of_materials, fit, volume_cm3

from .tables import box, table

BED = Printer("220 mm bed", 220, 220, 250)


def vertices(size: tuple[float, float, float]) -> np.ndarray:
    return np.asarray(trimesh.creation.box(extents=size).vertices)


def smallest_turn(length: float, width: float, bed: float) -> float:
    """The least angle (degrees) at which a length x width rectangle fits a square bed."""
    for tenth in range(0, 901, 5):
        a = math.radians(tenth / 10)
        if length * math.cos(a) + width * math.sin(a) <= bed and (
            length * math.sin(a) + width * math.cos(a) <= bed
        ):
            return tenth / 10
    raise AssertionError("never fits")


def test_a_300_mm_wall_does_not_fit_a_220_mm_bed_straight_but_does_turned_diagonally() -> None:
    result = fit(vertices((300, 10, 40)), BED)

    assert result.fits and result.orientation == "upright"
    assert result.angle == pytest.approx(smallest_turn(300, 10, 220), abs=0.5)
    assert 40 < result.angle <= 45


def test_a_300_mm_spire_fits_only_lying_down() -> None:
    result = fit(vertices((10, 10, 300)), BED)  # taller than the 250 mm build height

    assert result.fits and result.orientation.startswith("on its side")
    assert result.angle == pytest.approx(smallest_turn(300, 10, 220), abs=0.5)


def test_a_piece_too_wide_every_way_does_not_fit() -> None:
    result = fit(vertices((300, 40, 300)), BED)

    assert not result.fits and result.describe() == "too big"


def test_a_piece_that_fits_straight_is_not_turned() -> None:
    assert fit(vertices((200, 100, 50)), BED).describe() == "upright"


def test_volume_of_a_closed_mesh_and_none_for_an_open_one() -> None:
    cube = trimesh.creation.box(extents=(20, 30, 10))
    open_box = trimesh.Trimesh(cube.vertices, cube.faces[:-2])

    assert volume_cm3(cube) == pytest.approx(6.0)
    assert volume_cm3(cube, scale=2) == pytest.approx(48.0)
    assert volume_cm3(open_box) is None


def test_the_bill_counts_each_asset_once_with_its_fit() -> None:
    pieces = table(
        box("a", 100, 100, (300, 10, 40)),
        box("b", 200, 100, (300, 10, 40)),
        box("c", 300, 100, (50, 50, 50)),
    )

    [walls, cube] = bill_of_materials(pieces, BED)

    assert (walls.count, cube.count) == (2, 1)
    assert walls.fit.angle > 40 and cube.fit.angle == 0
    assert cube.volume_cm3 == pytest.approx(125.0)
