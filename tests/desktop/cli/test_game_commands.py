"""`terrain-desktop symmetric` and `generate`, run as a user runs them, on stored tables."""

import json
from pathlib import Path

from terrain_desktop.domain.catalogue import sample_asset_id
from terrain_desktop.domain.piece import Piece
from terrain_desktop.planning.symmetry import Symmetry, unmatched
from terrain_desktop.store.local_store import LocalStore
from tests.desktop.cli.test_cli import terrain_desktop


def half_built(data: Path) -> None:
    terrain_desktop(data, "tables")  # first launch: the store and the sample table
    store = LocalStore(data / "terrain.sqlite")
    pieces = [
        {"id": "house", "modelId": sample_asset_id("farmhouse"), "x": 400, "y": 300},
        {"id": "rock", "modelId": sample_asset_id("boulder"), "x": 900, "y": 200, "rotation": 33},
        {"id": "far", "modelId": sample_asset_id("boulder"), "x": 300, "y": 800},
    ]
    store.create_table("Half built", 1200, 900, placements=pieces)
    store.close()


def stored_pieces(data: Path, name: str) -> list[Piece]:
    store = LocalStore(data / "terrain.sqlite")
    try:
        table = next(t for t in store.tables() if t.name == name)
        return [Piece.from_wire(p) for p in store.placements(table.id)]
    finally:
        store.close()


def test_symmetric_completes_a_half_built_table(tmp_path: Path) -> None:
    half_built(tmp_path)

    result = terrain_desktop(tmp_path, "symmetric", "Half built", "--point", "--json")

    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    assert done["removed"] == ["far"] and len(done["added"]) == 2 and done["pieces"] == 4
    pieces = stored_pieces(tmp_path, "Half built")
    assert len(pieces) == 4
    assert unmatched(pieces, 1200, 900, Symmetry.POINT) == []
    rock_twin = next(p for p in pieces if p.id in done["added"] and p.x > 250 and p.x < 350)
    assert (rock_twin.x, rock_twin.y, rock_twin.rotation) == (300, 700, 213)


def test_symmetric_wants_a_kind(tmp_path: Path) -> None:
    half_built(tmp_path)

    result = terrain_desktop(tmp_path, "symmetric", "Half built")

    assert result.returncode == 2
    assert "--point" in result.stderr and "--mirror" in result.stderr


KIT = "Ruined wall:4,Ruined corner:2,Shipping container:2,Boulder:4"


def generate(data: Path, name: str, *extra: str) -> dict[str, object]:
    result = terrain_desktop(
        data, "generate", "--size", "44x30in", "--deployment", "dawn of war", "--pieces", KIT,
        "--candidates", "4", "--name", name, "--json", *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_generate_makes_an_ordinary_table_that_passes_check(tmp_path: Path) -> None:
    made = generate(tmp_path, "Game night", "--seed", "5", "--symmetric")

    assert made["deployment"] == "Dawn of War" and made["placed"] == made["wanted"] == 12
    assert len(made["candidates"]) == 4  # type: ignore[arg-type]
    checked = terrain_desktop(tmp_path, "check", "Game night")
    assert checked.returncode == 0, checked.stdout
    assert "no findings (12 pieces checked)" in checked.stdout
    pieces = stored_pieces(tmp_path, "Game night")
    assert unmatched(pieces, round(44 * 25.4), round(30 * 25.4), Symmetry.POINT) == []
    listed = terrain_desktop(tmp_path, "tables").stdout
    assert "Game night" in listed


def test_generate_gives_the_same_table_for_the_same_seed(tmp_path: Path) -> None:
    one, other = tmp_path / "one", tmp_path / "other"  # a free plan holds three tables
    generate(one, "First", "--seed", "11")
    generate(other, "Second", "--seed", "11")
    generate(one, "Third", "--seed", "12")

    def poses(data: Path, name: str) -> list[tuple[str, float, float, float]]:
        return sorted((p.asset_id, p.x, p.y, p.rotation) for p in stored_pieces(data, name))

    assert poses(one, "First") == poses(other, "Second")
    assert poses(one, "First") != poses(one, "Third")


def test_generate_takes_a_tables_pieces(tmp_path: Path) -> None:
    half_built(tmp_path)

    made = generate(tmp_path, "From a table", "--pieces", "Half built", "--mirror")

    assert made["wanted"] == 3 and made["symmetry"] == "mirror"


def test_generate_refuses_unknown_maps_and_kits(tmp_path: Path) -> None:
    base = ["generate", "--size", "44x30in", "--name", "X", "--candidates", "2"]

    no_map = terrain_desktop(tmp_path, *base, "--deployment", "nope", "--pieces", KIT)
    no_kit = terrain_desktop(tmp_path, *base, "--deployment", "Corners", "--pieces", "walls")
    no_asset = terrain_desktop(tmp_path, *base, "--deployment", "Corners", "--pieces", "Zeppelin:2")

    assert no_map.returncode == 1 and "no deployment map 'nope'" in no_map.stderr
    assert no_kit.returncode == 1 and "neither a table nor a kit" in no_kit.stderr
    assert no_asset.returncode == 1 and "no asset named or numbered 'Zeppelin'" in no_asset.stderr
    assert "X" not in terrain_desktop(tmp_path, "tables").stdout.split()  # nothing was made


def test_generate_leaves_room_for_a_chosen_base(tmp_path: Path) -> None:
    made = generate(tmp_path, "Big bases", "--seed", "2", "--base", "105x70mm")

    assert made["base"] == "105 x 70 mm oval" and made["gap_mm"] == 70
    checked = terrain_desktop(tmp_path, "check", "Big bases", "--gap", "70")
    assert checked.returncode == 0, checked.stdout
    refused = terrain_desktop(
        tmp_path,
        "generate",
        "--size",
        "6x4ft",
        "--deployment",
        "Corners",
        "--pieces",
        KIT,
        "--base",
        "huge",
        "--name",
        "No",
    )
    assert refused.returncode == 2 and "a base looks like 32mm" in refused.stderr
