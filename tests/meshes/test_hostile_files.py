"""Hostile files are refused from their headers or by the checks after loading, in words an
artist can act on, before any of them reaches VTK, a GLB writer or the decimator."""

from pathlib import Path

import pytest

from terrain_meshes import analysis, limits
from terrain_meshes.errors import MeshError, MeshProblem
from tests.meshes import hostile, samples

LIMITS = limits.Limits(max_triangles=10_000, max_decompressed_bytes=8 * 2**20)


def refusal(tmp_path: Path, name: str, data: bytes, units: analysis.Units | None) -> MeshError:
    path = samples.write(tmp_path, name, data)
    with pytest.raises(MeshError) as caught:
        kind = analysis.file_type(name)
        limits.preflight(path, kind, LIMITS)
        limits.declared_triangles(path, kind, LIMITS)
        analysis.analyse(path, name, units, LIMITS.max_triangles)
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "problem", "words"),
    [
        ("negative.ply", hostile.ply_face("3 0 1 -1"), MeshProblem.NOT_A_MESH, "index -1"),
        ("far.ply", hostile.ply_face("3 0 1 1000000"), MeshProblem.NOT_A_MESH, "1000000"),
        ("far.obj", hostile.obj_text("f 1 2 99\n"), MeshProblem.NOT_A_MESH, "OBJ"),
        ("nan.stl", samples.nan_stl(), MeshProblem.NON_FINITE, "NaN"),
        ("inf.stl", hostile.stl_with(float("inf")), MeshProblem.NON_FINITE, "infinity"),
        ("huge.stl", hostile.stl_with(3e38), MeshProblem.NON_FINITE, "too large"),
    ],
)
def test_files_that_load_but_cannot_be_trusted_are_refused(
    tmp_path: Path, name: str, data: bytes, problem: MeshProblem, words: str
) -> None:
    error = refusal(tmp_path, name, data, None)

    assert error.problem == problem and words in error.message


def test_coordinates_that_overflow_once_scaled_to_millimetres_are_refused(tmp_path: Path) -> None:
    # 3e38 inches is infinite in float32 millimetres; 1e6 inches is 25 km across.
    for coordinate in (3e38, 1e6):
        error = refusal(tmp_path, "far.stl", hostile.stl_with(coordinate), analysis.Units.INCH)
        assert error.problem in (MeshProblem.NON_FINITE, MeshProblem.TOO_LARGE)
        assert "inf" not in error.message.lower()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("count.ply", hostile.ply_declaring(10**12), MeshProblem.TOO_MANY_TRIANGLES),
        ("short.ply", hostile.ply_declaring(500, 500, binary=True), MeshProblem.NOT_A_MESH),
        ("count.stl", hostile.stl_declaring(2**32 - 1), MeshProblem.NOT_A_MESH),
        ("cut.stl", hostile.truncated("stl"), MeshProblem.NOT_A_MESH),
        ("cut.glb", hostile.truncated("glb"), MeshProblem.NOT_A_MESH),
        ("count.glb", hostile.glb_declaring(3 * 10**9), MeshProblem.TOO_MANY_TRIANGLES),
        ("deep.glb", hostile.glb_nested(100_000), MeshProblem.NOT_A_MESH),
        ("many.obj", hostile.obj_text("f 1 2 3\n" * 20_000), MeshProblem.TOO_MANY_TRIANGLES),
        ("bomb.3mf", hostile.three_mf_bomb(16 * 2**20), MeshProblem.TOO_MANY_TRIANGLES),
        ("parts.3mf", hostile.three_mf_many_members(1_500), MeshProblem.NOT_A_MESH),
        ("plain.3mf", b"not a zip " * 50, MeshProblem.NOT_A_MESH),
    ],
)
def test_headers_are_checked_before_loading(
    tmp_path: Path, name: str, data: bytes, problem: MeshProblem
) -> None:
    path = samples.write(tmp_path, name, data)

    with pytest.raises(MeshError) as caught:
        limits.preflight(path, analysis.file_type(name), LIMITS)

    assert caught.value.problem == problem


def test_a_zip_bomb_that_lies_about_its_size_is_caught_while_unpacking(tmp_path: Path) -> None:
    path = samples.write(tmp_path, "lying.3mf", hostile.three_mf_lying(16 * 2**20))
    limits.preflight(path, "3mf", LIMITS)  # the directory alone looks harmless

    with pytest.raises(MeshError) as caught:
        limits.declared_triangles(path, "3mf", LIMITS)

    assert caught.value.problem == MeshProblem.NOT_A_MESH


@pytest.mark.parametrize("kind", ["stl", "stl_ascii", "obj", "ply", "3mf", "glb"])
def test_honest_files_declare_their_triangle_count(tmp_path: Path, kind: str) -> None:
    suffix = "stl" if kind == "stl_ascii" else kind
    path = samples.write(tmp_path, f"hill.{suffix}", samples.export(samples.hill(), kind))

    limits.preflight(path, analysis.file_type(path.name), LIMITS)
    declared = limits.declared_triangles(path, analysis.file_type(path.name), LIMITS)

    assert declared == len(samples.hill().faces)
