"""What the print plan may print: the pieces the user owns (bundled, imported, free); the
others are listed to buy first and go into the cart on request."""

from pathlib import Path

import pytest
import trimesh

from terrain_desktop.app.print_plans import add_to_cart, make_print_plan
from terrain_desktop.app.shell import AppShell
from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.domain.catalogue import bundled_library, sample_asset_id
from terrain_desktop.planning.printing import PRINTERS
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.store.mesh_cache import AssetInfo

FREE = "0b6f0c4e-0000-4000-8000-00000000f4ee"
PRICED = "0b6f0c4e-0000-4000-8000-00000000b0b0"


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppShell:
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(tmp_path))
    store = LocalStore(tmp_path / "terrain.sqlite")
    ensure_sample_table(store)
    shell = AppShell(store)
    boulder = bundled_library()[sample_asset_id("boulder")].mesh_path.read_bytes()
    for asset_id, name, price in ((FREE, "Free crate", "0.00"), (PRICED, "Gothic arch", "3.00")):
        shell.catalogue.meshes.remember(AssetInfo(asset_id, name, "ruins", (), (45, 43, 34), price))
        shell.catalogue.meshes.add(asset_id, [boulder])  # a preview mesh on this computer
    return shell


def test_free_and_bundled_pieces_are_printed_and_priced_ones_are_to_buy(
    shell: AppShell, tmp_path: Path
) -> None:
    spots = [(FREE, 100), (FREE, 200), (PRICED, 300), (sample_asset_id("barrel"), 400)]
    placements = [{"id": f"p{n}", "modelId": a, "x": x, "y": 300} for n, (a, x) in enumerate(spots)]
    table_id = shell.store.create_table("Mixed", 600, 600, placements=placements)

    result = make_print_plan(
        shell.store, table_id, shell.catalogue, PRINTERS["Prusa MK4"], tmp_path / "plates"
    )

    [plate] = result.files
    assert sorted(trimesh.load(plate).graph.nodes_geometry) == [
        "Barrel 1",
        "Free crate 1",
        "Free crate 2",
    ]
    assert [(b.name, b.count) for b in result.buy_first] == [("Gothic arch", 1)]
    assert add_to_cart(shell.shop.cart, result.buy_first) == [PRICED]
    assert shell.shop.cart.quantity(PRICED) == 1
    assert add_to_cart(shell.shop.cart, result.buy_first) == []  # already there
