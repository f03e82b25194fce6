"""The Tabletop Simulator saved object: read back by its documented fields (ObjectStates,
Custom_Model, CustomMesh.MeshURL, Transform in inches, Y up)."""

import json
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import numpy as np
import pytest
import trimesh

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.tts import MAT_TOP, write_tts

from .tables import box, sample_table, table


def mesh_of(state: dict) -> trimesh.Trimesh:  # type: ignore[type-arg]
    return trimesh.load(Path(url2pathname(urlparse(state["CustomMesh"]["MeshURL"]).path)))


def test_every_piece_is_a_custom_model_where_it_stands(tmp_path: Path) -> None:
    layout = sample_table()
    path = tmp_path / "sample.json"

    assert write_tts(layout, path) == len(layout.pieces)

    states = json.loads(path.read_text())["ObjectStates"]
    assert len(states) == 1 + len(layout.pieces)  # the mat and every piece
    assert all(s["Name"] == "Custom_Model" for s in states)
    assert len({s["GUID"] for s in states}) == len(states)
    mat, pieces = states[0], states[1:]
    assert mat["CustomMesh"]["TypeIndex"] == 4  # a board
    assert np.allclose(
        mesh_of(mat).extents, (1200 / MM_PER_INCH, 2 / MM_PER_INCH, 900 / MM_PER_INCH)
    )
    for state, piece in zip(pieces, layout.pieces, strict=True):
        t = state["Transform"]
        x = 600 - t["posX"] * MM_PER_INCH  # back from inches about the table's centre
        y = 450 - t["posZ"] * MM_PER_INCH
        assert (x, y) == (pytest.approx(piece.x, abs=1e-3), pytest.approx(piece.y, abs=1e-3))
        assert t["posY"] == pytest.approx(MAT_TOP + piece.z / MM_PER_INCH)
        assert t["rotY"] == pytest.approx((-piece.rotation) % 360)
        assert t["scaleX"] == t["scaleY"] == t["scaleZ"] == piece.scale
        assert state["Nickname"].startswith(piece.name)
        # the OBJ is the piece in inches, Y up: its height is the mesh's height
        extents = mesh_of(state).extents
        size = piece.mesh.extents / MM_PER_INCH
        assert np.allclose(extents, (size[0], size[2], size[1]), atol=1e-3)


def test_copies_share_one_model_file(tmp_path: Path) -> None:
    layout = table(*(box(str(n), 100 + 50 * n, 100, (20, 20, 30)) for n in range(4)))
    write_tts(layout, tmp_path / "boxes.json")

    states = json.loads((tmp_path / "boxes.json").read_text())["ObjectStates"]
    assert len({s["CustomMesh"]["MeshURL"] for s in states[1:]}) == 1
    assert sorted(p.name for p in (tmp_path / "boxes_models").iterdir()) == [
        "box-(20, 20, 30).obj",
        "mat.obj",
    ]
