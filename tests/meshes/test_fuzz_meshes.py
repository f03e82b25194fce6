"""A fuzz sweep of malformed meshes: whatever the bytes, loading ends in a mesh that is safe
to hand to VTK and the GLB writer, or in a MeshError with a reason — never anything else.

CI runs a small fixed budget; `TERRAIN_FUZZ_EXAMPLES=5000` makes a local soak run.
"""

import os
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terrain_meshes import analysis, limits, validation
from terrain_meshes.errors import MeshError
from tests.meshes import samples

EXAMPLES = int(os.environ.get("TERRAIN_FUZZ_EXAMPLES", "40"))
LIMITS = limits.Limits(max_triangles=50_000, max_decompressed_bytes=4 * 2**20)
KINDS = ["stl", "stl_ascii", "obj", "ply", "ply_ascii", "3mf", "glb"]
_ORIGINALS: dict[str, bytes] = {}


def original(kind: str) -> bytes:
    if kind not in _ORIGINALS:
        mesh = samples.heavy(1)
        if kind == "ply_ascii":
            _ORIGINALS[kind] = mesh.export(file_type="ply", encoding="ascii")
        else:
            _ORIGINALS[kind] = samples.export(mesh, kind)
    return _ORIGINALS[kind]


@st.composite
def malformed(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(KINDS))
    data = bytearray(original(kind))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "flip", "int", "float", "text"]))
        at = draw(st.integers(0, max(0, len(data) - 8)))
        if how == "cut":
            del data[at:]
        elif how == "flip":
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
        elif how == "int":  # a count or an index, where headers keep them
            value = draw(st.sampled_from([0, 2**31 - 1, 2**32 - 1, 10**9, 3, 2**31]))
            data[at : at + 4] = struct.pack("<I", value)
        elif how == "float":
            value = draw(st.sampled_from([float("nan"), float("inf"), 3e38, -1e30]))
            data[at : at + 4] = struct.pack("<f", value)
        else:
            token = draw(st.sampled_from([b"-1", b"nan", b"1e999", b"99999999", b"f", b"\n"]))
            data[at : at + len(token)] = token
    return kind, bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("TERRAIN_FUZZ_EXAMPLES") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=malformed())
def test_malformed_meshes_load_safely_or_are_refused(
    tmp_path: Path, case: tuple[str, bytes]
) -> None:
    kind, data = case
    suffix = {"stl_ascii": "stl", "ply_ascii": "ply"}.get(kind, kind)
    path = samples.write(tmp_path, f"fuzz.{suffix}", data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            limits.preflight(path, analysis.file_type(path.name), LIMITS)
            limits.declared_triangles(path, analysis.file_type(path.name), LIMITS)
            result = analysis.analyse(path, path.name, None, LIMITS.max_triangles)
    except MeshError as refused:
        assert refused.message
        return
    faces, vertices = np.asarray(result.mesh.faces), np.asarray(result.mesh.vertices)
    assert 0 < len(faces) <= LIMITS.max_triangles
    assert faces.min() >= 0 and faces.max() < len(vertices)
    assert np.isfinite(vertices).all()
    assert np.isfinite(vertices.astype(np.float32)).all()
    assert max(result.dimensions_mm) <= validation.MAX_EXTENT_MM


@pytest.mark.parametrize("kind", KINDS)
def test_the_unmutated_originals_load(tmp_path: Path, kind: str) -> None:
    suffix = {"stl_ascii": "stl", "ply_ascii": "ply"}.get(kind, kind)
    path = samples.write(tmp_path, f"rock.{suffix}", original(kind))

    assert analysis.analyse(path, path.name, None, LIMITS.max_triangles).triangles == 80
