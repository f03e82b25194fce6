"""The bundled deployment maps: on the table at every preset size, at the card's distances,
and the numbers a player asks of them (who sees each objective)."""

import json
import math
from pathlib import Path

import pytest
import shapely
from PIL import Image
from shapely import affinity

from terrain_desktop.domain.presets import PRESETS
from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.deployment_maps import MAPS
from terrain_desktop.planning.deployments import deployment, deployment_report, names
from terrain_desktop.planning.sight import sight_map
from tests.desktop.cli.test_cli import terrain_desktop
from tests.desktop.planning.tables import box, table

STRIKE_FORCE = (60 * MM_PER_INCH, 44 * MM_PER_INCH)
FORTY_K = [
    "Dawn of War",
    "Hammer and Anvil",
    "Search and Destroy",
    "Sweeping Engagement",
    "Crucible of Battle",
    "Tipping Point",
]


def test_the_six_40k_maps_and_the_skirmish_maps_are_bundled() -> None:
    assert names() == [*FORTY_K, "Long edges", "Short edges", "Corners"]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
@pytest.mark.parametrize("name", [str(m["name"]) for m in MAPS])
def test_every_map_lies_on_every_preset_table(name: str, preset: object) -> None:
    width, depth = preset.width_mm, preset.depth_mm  # type: ignore[attr-defined]
    plan = deployment(name, width, depth)
    board = shapely.box(0, 0, width, depth).buffer(0.01)
    first, second = plan.zones
    for zone in plan.zones:
        assert zone.is_valid and zone.area > 0.02 * width * depth
        assert board.contains(zone)
    assert first.intersection(second).area < 1.0  # the sides never share ground
    assert all(board.contains(shapely.Point(o)) for o in plan.objectives)
    # Every bundled map is point-symmetric about the centre: turn one zone, get the other.
    turned = affinity.rotate(first, 180, origin=(width / 2, depth / 2))
    assert turned.symmetric_difference(second).area < 1e-3 * first.area
    centre = shapely.Point(width / 2, depth / 2)
    assert any(centre.distance(shapely.Point(o)) < 0.1 for o in plan.objectives)


def _inches(mm: float) -> float:
    return round(mm / MM_PER_INCH, 2)


@pytest.mark.parametrize("size", [STRIKE_FORCE, STRIKE_FORCE[::-1], (72 * 25.4, 48 * 25.4)])
def test_the_maps_keep_the_cards_distances_on_tables_of_at_least_60_by_44(
    size: tuple[float, float],
) -> None:
    width, depth = size
    short_axis = 1 if width >= depth else 0  # the map turns with the table's long axis

    def extent(name: str, axis: int) -> float:
        bounds = deployment(name, width, depth).zones[0].bounds
        return _inches(bounds[axis + 2] - bounds[axis])

    assert extent("Dawn of War", short_axis) == 10
    assert extent("Hammer and Anvil", 1 - short_axis) == 18
    assert extent("Sweeping Engagement", short_axis) == 14
    assert extent("Tipping Point", 1 - short_axis) == 20
    assert extent("Long edges", short_axis) == 12
    assert extent("Short edges", 1 - short_axis) == 12
    centre = shapely.Point(width / 2, depth / 2)
    search = deployment("Search and Destroy", width, depth)
    assert all(
        _inches(zone.distance(centre)) == pytest.approx(9, abs=0.05) for zone in search.zones
    )
    corners = deployment("Corners", width, depth).zones[0]
    assert _inches(math.sqrt(corners.area * 4 / math.pi)) == pytest.approx(12, abs=0.05)
    dawn = deployment("Dawn of War", width, depth)
    # The objectives near the long edges are 6 in from them, on the centre line.
    edge_gaps = sorted(_inches(min(x, width - x, y, depth - y)) for x, y in dawn.objectives)
    assert edge_gaps[:2] == [6, 6]


def test_smaller_tables_shrink_every_distance_alike() -> None:
    plan = deployment("Dawn of War", 30 * MM_PER_INCH, 22 * MM_PER_INCH)  # half of 60 x 44

    assert plan.scale == 0.5
    _, y0, _, y1 = plan.zones[0].bounds
    assert _inches(y1 - y0) == 5


def test_an_unknown_map_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match="Dawn of War"):
        deployment("Dusk of Peace", 1000, 1000)
    assert deployment("dawn-of-WAR", *STRIKE_FORCE).name == "Dawn of War"


def test_an_objective_behind_a_wall_is_hidden_from_that_side_only() -> None:
    width, depth = STRIKE_FORCE
    # Dawn of War: zones along the long edges (y). A tall wall across the table 4 in in
    # front of the first zone's edge hides the centre objective from all of the first zone.
    wall = box("wall", width / 2, 14 * MM_PER_INCH, (width - 2, 20, 200))
    layout = table(wall, width=width, depth=depth)
    plan = deployment("Dawn of War", width, depth)

    report = deployment_report(sight_map(layout, cell=2 * MM_PER_INCH), plan)

    centre = report["objectives"][0]
    assert centre["seen_from_first_zone"] == 0
    assert centre["seen_from_second_zone"] == 1
    assert centre["balance"] == 0
    # The wall cuts the table in two: neither zone sees the other (even, if dull).
    assert report["first_zone_visible_from_second"] == 0
    assert report["second_zone_visible_from_first"] == 0
    # The objective 6 in from the first zone's edge is in front of the wall, seen by its side.
    near = min(report["objectives"], key=lambda o: o["y_mm"])
    assert near["seen_from_first_zone"] == 1 and near["seen_from_second_zone"] == 0


def test_cli_lists_the_maps_name_first(tmp_path: Path) -> None:
    result = terrain_desktop(tmp_path, "deployments")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("  ")[0] for line in lines] == names()


def test_los_reports_who_sees_each_objective(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"

    result = terrain_desktop(
        tmp_path,
        "los",
        "Sample table",
        "--out",
        str(out),
        "--deployment",
        "search and destroy",
        "--cell",
        "50",
        "--json",
    )

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["deployment"]
    assert found["deployment"] == "Search and Destroy"
    assert len(found["objectives"]) == 5
    for objective in found["objectives"]:
        for key in ("seen_from_first_zone", "seen_from_second_zone", "balance"):
            assert 0 <= objective[key] <= 1
    assert found["marker_mm"] == 40 and found["control_range_in"] == 3
    image = Image.open(out).convert("RGB")
    scale = image.width / 1200  # the sample table is 1200 x 900 mm
    centre = found["objectives"][0]
    marker = (round(centre["x_mm"] * scale), round(image.height - centre["y_mm"] * scale))
    assert image.getpixel(marker) == (255, 255, 255)  # the centre objective's marker is drawn


def test_los_refuses_an_unknown_map(tmp_path: Path) -> None:
    result = terrain_desktop(
        tmp_path, "los", "Sample table", "--out", str(tmp_path / "h.png"), "--deployment", "nope"
    )

    assert result.returncode == 1
    assert "no deployment map 'nope'" in result.stderr and "Tipping Point" in result.stderr


def test_los_suggests_one_move_for_the_deployment(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"

    result = terrain_desktop(
        tmp_path, "los", "Sample table", "--out", str(out), "--deployment", "Dawn of War",
        "--cell", "50", "--suggest", "--json",
    )  # fmt: skip
    without = terrain_desktop(tmp_path, "los", "Sample table", "--out", str(out), "--suggest")

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["suggestion"]
    assert found["balance_after"] > found["balance_before"]
    assert found["piece"] and len(found["move_mm"]) == 2
    assert without.returncode == 1 and "--suggest needs --deployment" in without.stderr
