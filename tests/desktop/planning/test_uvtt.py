"""The Universal VTT export: the format's published fields, and walls that block what the
sight map says is blocked."""

import base64
import io
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import shapely
from PIL import Image

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.sight import sight_map
from terrain_desktop.planning.uvtt import uvtt, write_uvtt

from .tables import box, sample_table, table

POINT = {
    "type": "object",
    "required": ["x", "y"],
    "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
}
COLOUR = {"type": "string", "pattern": "^[0-9a-fA-F]{8}$"}  # ARGB hex
#: The fields Dungeondraft's Universal VTT export (format 0.3) publishes, as importers read them.
UVTT_SCHEMA = {
    "type": "object",
    "required": ["format", "resolution", "line_of_sight", "portals", "lights", "image"],
    "properties": {
        "format": {"type": "number"},
        "resolution": {
            "type": "object",
            "required": ["map_origin", "map_size", "pixels_per_grid"],
            "properties": {
                "map_origin": POINT,
                "map_size": POINT,
                "pixels_per_grid": {"type": "integer", "minimum": 1},
            },
        },
        "line_of_sight": {"type": "array", "items": {"type": "array", "items": POINT}},
        "objects_line_of_sight": {"type": "array", "items": {"type": "array", "items": POINT}},
        "portals": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["position", "bounds", "rotation", "closed", "freestanding"],
                "properties": {"position": POINT, "bounds": {"type": "array", "items": POINT}},
            },
        },
        "environment": {
            "type": "object",
            "properties": {"baked_lighting": {"type": "boolean"}, "ambient_light": COLOUR},
        },
        "lights": {"type": "array"},
        "image": {"type": "string", "contentEncoding": "base64"},
    },
}


def test_the_file_has_the_published_fields_and_a_picture_of_the_table(tmp_path: Path) -> None:
    layout = sample_table()
    path = tmp_path / "sample.dd2vtt"

    walls = write_uvtt(layout, path, pixels_per_grid=20)

    data = json.loads(path.read_text())
    jsonschema.validate(data, UVTT_SCHEMA)
    assert data["resolution"]["map_size"] == pytest.approx(
        {"x": 1200 / MM_PER_INCH, "y": 900 / MM_PER_INCH}, abs=1e-3
    )
    assert len(data["line_of_sight"]) == walls > 10
    picture = Image.open(io.BytesIO(base64.b64decode(data["image"])))
    assert picture.format == "PNG"
    assert picture.size == (round(1200 / MM_PER_INCH * 20), round(900 / MM_PER_INCH * 20))
    # every wall lies on the map
    points = np.array([(p["x"], p["y"]) for line in data["line_of_sight"] for p in line])
    assert points.min() >= 0 and (points.max(axis=0) <= (47.25, 35.44)).all()


def test_a_wall_is_drawn_where_a_box_stands_taller_than_the_eye() -> None:
    layout = table(box("tall", 300, 200, (100, 20, 60)), box("low", 100, 100, (50, 50, 10)))

    data = uvtt(layout, eye=30, pixels_per_grid=10)

    [wall] = data["line_of_sight"]  # the low box leaves sight open
    xs = [p["x"] * MM_PER_INCH for p in wall]
    ys = [400 - p["y"] * MM_PER_INCH for p in wall]  # back to table millimetres, front at 0
    assert min(xs) == pytest.approx(250, abs=0.01) and max(xs) == pytest.approx(350, abs=0.01)
    assert min(ys) == pytest.approx(190, abs=0.01) and max(ys) == pytest.approx(210, abs=0.01)
    picture = np.asarray(Image.open(io.BytesIO(base64.b64decode(data["image"]))))
    tall_pixel = picture[round((400 - 200) / MM_PER_INCH * 10), round(300 / MM_PER_INCH * 10)]
    mat_pixel = picture[5, 3]
    assert tuple(tall_pixel) != tuple(mat_pixel)  # the box is drawn where it stands


def floor_agreement(layout: TableLayout, eye: float) -> float:
    """The share of pairs of floor cells (2 in apart) on which the walls and the sight map
    agree: both see, or both are blocked."""
    data = uvtt(layout, eye=eye, pixels_per_grid=4)
    sight = sight_map(layout, eye=eye, cell=2 * MM_PER_INCH)
    floor = sight.eyes[:, 2] <= eye + 1e-6  # cells where a model stands on the table
    # the cell centres as the file's grid points (from the top-left corner, in inches)
    centres = sight.grid.centres[floor] / MM_PER_INCH
    centres[:, 1] = layout.depth / MM_PER_INCH - centres[:, 1]
    walls = shapely.MultiLineString(
        [[(p["x"], p["y"]) for p in line] for line in data["line_of_sight"]]
    )
    first, second = np.triu_indices(len(centres), 1)
    sight_lines = shapely.linestrings(np.stack([centres[first], centres[second]], axis=1))
    shapely.prepare(walls)
    blocked = shapely.intersects(sight_lines, walls)
    seen = sight.visible[np.ix_(floor, floor)][first, second]
    assert 0.2 < seen.mean() < 0.9  # the table hides some and shows some
    return float((seen == ~blocked).mean())


@pytest.mark.parametrize("eye", [30.0, 60.0])
def test_the_walls_block_what_the_sight_map_blocks(eye: float) -> None:
    assert floor_agreement(sample_table(), eye) >= 0.95


def test_parts_that_overlap_in_one_mesh_make_one_outline_and_a_ring_stays_open() -> None:
    import trimesh

    from terrain_desktop.planning.layout import PlacedPiece
    from terrain_desktop.planning.uvtt import walls_mm
    from terrain_meshes.display import normalised

    left = trimesh.creation.box((40, 20, 60))
    right = trimesh.creation.box((40, 20, 60)).apply_translation((20, 0, 0))
    ribbed = normalised(trimesh.util.concatenate([left, right]))  # 60 x 20, overlapping
    ring = normalised(trimesh.creation.annulus(r_min=30, r_max=40, height=60))
    layout = table(
        PlacedPiece("a", "ribbed", "Ribbed", 150, 200, 0, 0, 1.0, ribbed),
        PlacedPiece("b", "ring", "Ring", 400, 200, 0, 0, 1.0, ring),
    )

    walls = walls_mm(layout, eye=30)

    [box_wall] = [w for w in walls if w[:, 0].max() < 300]
    # one closed rectangle: no line where the two parts overlap
    assert np.allclose(box_wall[0], box_wall[-1])
    on_edge = np.isclose(box_wall[:, 0], 120) | np.isclose(box_wall[:, 0], 180)
    assert (on_edge | np.isclose(box_wall[:, 1], 190) | np.isclose(box_wall[:, 1], 210)).all()
    assert np.ptp(box_wall, axis=0) == pytest.approx((60, 20), abs=1e-3)
    ring_walls = [w for w in walls if w[:, 0].min() > 300]
    radii = sorted(np.hypot(*(w - (400, 200)).T).mean() for w in ring_walls)
    assert radii == [pytest.approx(30, abs=0.5), pytest.approx(40, abs=0.5)]  # inside open
