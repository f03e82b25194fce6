"""`terrain-desktop check`, `los` and `plan`, run as a user runs them, on stored tables."""

import json
import re
from pathlib import Path

import numpy as np
import pypdf
from PIL import Image

from terrain_desktop.app_data import SAMPLE_LAYOUT
from terrain_desktop.domain.catalogue import bundled_library, sample_asset_id
from terrain_desktop.store.local_store import LocalStore
from tests.desktop.cli.test_cli import terrain_desktop


def crowded_table(data: Path) -> None:
    """A table whose barrel cluster sits inside the farmhouse and whose boulder hangs off."""
    terrain_desktop(data, "tables")  # first launch: the store and the sample table
    store = LocalStore(data / "terrain.sqlite")
    pieces = [
        {"id": "house", "modelId": sample_asset_id("farmhouse"), "x": 300, "y": 300},
        {"id": "barrels", "modelId": sample_asset_id("barrel-cluster"), "x": 320, "y": 300},
        {"id": "rock", "modelId": sample_asset_id("boulder"), "x": 1195, "y": 450},
    ]
    store.create_table("Crowded", 1200, 900, placements=pieces)
    store.close()


def test_check_is_quiet_and_exits_0_on_the_sample_table(tmp_path: Path) -> None:
    result = terrain_desktop(tmp_path, "check", "Sample table")

    assert result.returncode == 0, result.stderr
    assert "no findings (17 pieces checked)" in result.stdout


def test_check_lists_findings_and_exits_1(tmp_path: Path) -> None:
    crowded_table(tmp_path)

    result = terrain_desktop(tmp_path, "check", "Crowded", "--json")

    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {(f["kind"], frozenset(f["pieces"])) for f in findings} == {
        ("overlap", frozenset({"house", "barrels"})),
        ("off-table", frozenset({"rock"})),
    }


def test_los_writes_a_heat_map_and_the_zone_numbers(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"

    result = terrain_desktop(
        tmp_path,
        "los",
        "Sample table",
        "--out",
        str(out),
        "--eye",
        "30",
        "--zones",
        "short-edges",
        "--depth",
        "200",
        "--json",
    )

    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    assert numbers["cells"] == 47 * 35
    zones = numbers["zones"]
    assert zones["layout"] == "short-edges" and zones["depth_mm"] == 200
    assert 0 < numbers["mean_visible"] < 1  # the sample table's pieces hide something
    for key in ("first_zone_visible_from_second", "hidden_from_both", "balance"):
        assert 0 <= zones[key] <= 1
    image = np.asarray(Image.open(out).convert("RGB"), dtype=float)
    assert image.shape == (35 * 12, 47 * 12, 3)
    assert image.std(axis=(0, 1)).mean() > 20  # cells differ: not one flat colour


def test_plan_has_overview_bill_and_a_setup_card_that_matches_the_table(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"

    result = terrain_desktop(tmp_path, "plan", "Sample table", "--out", str(out))

    assert result.returncode == 0, result.stderr
    pages = pypdf.PdfReader(out).pages
    texts = [page.extract_text() for page in pages]
    assert texts[0].startswith("Build plan: Sample table")
    assert all(str(n) in texts[0].split() for n in range(1, 18))  # numbered pieces
    bill = "\n".join(t for t in texts if "Count" in t)
    assert "Bill of materials" in bill
    library = bundled_library()
    for slug, *_ in SAMPLE_LAYOUT:
        assert re.search(rf"{library[sample_asset_id(slug)].name}\n1\n", bill)
    assert sum(len(page.images) for page in pages if "Count" in page.extract_text()) == 17
    card = texts[-1]
    assert card.startswith("Setup card")
    rows = re.findall(
        r"(\d+)\n([^\n]+)\n(\d+) mm from (left|right)\n(\d+) mm from (front|back)", card
    )
    assert len(rows) == len(SAMPLE_LAYOUT)
    expected = {library[sample_asset_id(s)].name: (x, y) for s, x, y, _ in SAMPLE_LAYOUT}
    for _, name, across, side, along, end in rows:
        x = int(across) if side == "left" else 1200 - int(across)
        y = int(along) if end == "front" else 900 - int(along)
        assert (x, y) == expected[name]


def test_plan_in_inches(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"

    result = terrain_desktop(tmp_path, "plan", "Sample table", "--out", str(out), "--units", "in")

    assert result.returncode == 0, result.stderr
    card = pypdf.PdfReader(out).pages[-1].extract_text()
    # The ruined tower stands at 640, 450 on a 1200 x 900 table: 22.0" from right, 17.7" from front.
    assert 'Ruined tower\n22.0" from right\n17.7" from front' in card


def test_bad_arguments_are_explained_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"

    bed = terrain_desktop(tmp_path, "plan", "Sample table", "--out", str(out), "--bed", "2x2")
    eye = terrain_desktop(tmp_path, "los", "Sample table", "--out", str(out), "--eye", "-3")

    assert bed.returncode == 2 and "--bed: must look like 220x220x250" in bed.stderr
    assert eye.returncode == 2 and "--eye: must be more than 0" in eye.stderr
    assert not out.exists()
