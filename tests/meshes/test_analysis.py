"""Opening, checking and measuring models: every format, units, and hostile files."""

from pathlib import Path

import pytest
import trimesh

from terrain_meshes import analysis, display
from terrain_meshes.errors import MeshError, MeshProblem
from tests import shared_testdata
from tests.meshes import samples


@pytest.mark.parametrize("kind", ["stl", "stl_ascii", "obj", "ply", "3mf", "glb"])
def test_every_format_is_measured_in_millimetres(tmp_path: Path, kind: str) -> None:
    suffix = "stl" if kind == "stl_ascii" else kind
    path = samples.write(tmp_path, f"hill.{suffix}", samples.export(samples.hill(), kind))

    result = analysis.analyse(path, path.name, None, 1_000_000)

    assert result.units == analysis.Units.MM and result.units_detected
    assert result.dimensions_mm == pytest.approx((60.0, 60.0, 25.0), abs=0.5)
    assert result.triangles == len(samples.hill().faces)


def test_a_tiny_model_is_taken_to_be_in_inches(tmp_path: Path) -> None:
    inches = samples.scaled(samples.hill(), 1 / 25.4)  # 2.36 x 2.36 x 0.98 "units"
    path = samples.write(tmp_path, "hill.stl", samples.export(inches, "stl"))

    result = analysis.analyse(path, path.name, None, 1_000_000)

    assert result.units == analysis.Units.INCH
    assert result.dimensions_mm == pytest.approx((60.0, 60.0, 25.0), abs=0.5)


def test_stated_units_win_over_the_guess(tmp_path: Path) -> None:
    tiny = samples.scaled(samples.hill(), 0.1)  # 6 units across: millimetres by the guess
    path = samples.write(tmp_path, "hill.stl", samples.export(tiny, "stl"))

    result = analysis.analyse(path, path.name, analysis.Units.CM, 1_000_000)

    assert result.units == analysis.Units.CM and not result.units_detected
    assert result.dimensions_mm[0] == pytest.approx(60.0, abs=0.5)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("nan.stl", samples.nan_stl(), MeshProblem.NON_FINITE),
        ("empty.stl", samples.empty_stl(), MeshProblem.EMPTY),
        ("notes.stl", b"these are my notes, not a mesh" * 10, MeshProblem.NOT_A_MESH),
        ("photo.glb", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, MeshProblem.NOT_A_MESH),
        ("model.obj", b"# only a comment\n", MeshProblem.EMPTY),
        ("hill.dwg", b"whatever", MeshProblem.UNSUPPORTED_TYPE),
    ],
)
def test_unusable_files_are_refused_with_a_reason(
    tmp_path: Path, name: str, data: bytes, problem: MeshProblem
) -> None:
    path = samples.write(tmp_path, name, data)

    with pytest.raises(MeshError) as caught:
        analysis.analyse(path, name, None, 1_000_000)

    assert caught.value.problem == problem


def test_too_many_triangles_is_refused(tmp_path: Path) -> None:
    path = samples.write(tmp_path, "rock.stl", samples.export(samples.heavy(4), "stl"))

    with pytest.raises(MeshError) as caught:
        analysis.analyse(path, path.name, None, max_triangles=1000)

    assert caught.value.problem == MeshProblem.TOO_MANY_TRIANGLES


def test_display_mesh_stands_on_the_origin_and_is_decimated() -> None:
    rock = samples.heavy(6)  # 81,920 triangles
    rock.apply_translation([100, 50, 7])

    placed = display.normalised(rock)
    light = display.decimated(placed, 10_000)

    low, high = placed.bounds
    assert low[2] == pytest.approx(0) and (low[:2] + high[:2]) == pytest.approx([0, 0], abs=1e-6)
    assert 5_000 <= len(light.faces) <= 15_000
    assert display.decimated(samples.hill(), 10_000) is not None
    assert len(display.decimated(samples.hill(), 10_000).faces) == len(samples.hill().faces)


@pytest.mark.parametrize(
    ("name", "size_mm"),
    [
        ("of_face_25.stl", (9.9, 1.0, 6.7)),
        ("of_1x1-staggered_curved_line_top.stl", (24.6, 24.6, 7.9)),
        ("of_low_wall_pool_three_quarter_diagonal.stl", (50.0, 50.0, 22.0)),
        ("of_smooth_curved_3x3.stl", (75.0, 74.6, 49.0)),
    ],
)
def test_real_openforge_parts_are_guessed_to_be_millimetres(
    name: str, size_mm: tuple[float, float, float]
) -> None:
    path = shared_testdata.openforge(name)

    result = analysis.analyse(path, path.name, None, 1_000_000)

    assert result.units == analysis.Units.MM and result.units_detected
    assert result.dimensions_mm == pytest.approx(size_mm, abs=0.1)


def test_a_small_thin_tile_drawn_in_inches_is_taken_to_be_in_inches(tmp_path: Path) -> None:
    tile = trimesh.creation.box(extents=(6.0, 6.0, 0.25))  # a 6" tile: 0.25 mm thick is unprintable
    path = samples.write(tmp_path, "tile.stl", samples.export(tile, "stl"))

    result = analysis.analyse(path, path.name, None, 1_000_000)

    assert result.units == analysis.Units.INCH
    assert result.dimensions_mm == pytest.approx((152.4, 152.4, 6.35), abs=0.01)
