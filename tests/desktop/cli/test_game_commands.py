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
