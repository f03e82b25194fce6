"""`terrain-desktop` from a script, as a user runs it: two profiles (two computers) signed in to
the real server on a loopback port, a table made, filled and synced by the CLI on one appearing
on the other, and the exit codes a script relies on."""

import json
from pathlib import Path

import httpx
import pytest
import trimesh

from terrain_desktop.cli import main
from tests import shared_testdata
from tests.integration.conftest import LiveServer

PASSWORD = "long enough pass"


class Profile:
    """One computer's data directory; each command runs the real entry point in it."""

    def __init__(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(self.folder))
        self.capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Profile, Profile]:
    monkeypatch.setenv("TERRAIN_PASSWORD", PASSWORD)
    monkeypatch.delenv("TERRAIN_SERVER_URL", raising=False)
    return (
        Profile(tmp_path / "first", monkeypatch, capsys),
        Profile(tmp_path / "second", monkeypatch, capsys),
    )


def test_a_table_made_by_the_cli_on_one_computer_appears_on_the_other(
    live: LiveServer, profiles: tuple[Profile, Profile], tmp_path: Path
) -> None:
    first, second = profiles
    email = "cli-user@example.com"

    code, out, err = first.run("login", "--server", live.url, "--email", email, "--register")
    assert code == 0, err
    assert f"Signed in as {email}" in out
    code, out, err = first.run("new", "Crypt", "--size", "6x4ft")
    assert code == 0, err
    assert "(1829 x 1219 mm)" in out
    code, out, err = first.run("add", "Crypt", "Pine tree", "--count", "3", "--at", "400,300")
    assert code == 0, err
    assert len(out.splitlines()) == 3
    assert first.run("status")[0] == 1  # changes wait until synced
    code, out, err = first.run("sync", "--json")
    assert code == 0, err
    assert json.loads(out)["waiting"] == 0 and json.loads(out)["refused"] == []

    code, out, err = second.run("login", "--server", live.url, "--email", email)
    assert code == 0, err
    code, out, err = second.run("sync")
    assert code == 0, err
    assert "Crypt" in second.run("tables")[1]
    glb = tmp_path / "crypt.glb"
    code, out, err = second.run("export", "Crypt", "--format", "glb", "--out", str(glb))
    assert code == 0, err
    scene = trimesh.load(glb)
    pieces = [n for n in scene.graph.nodes_geometry if n.startswith("Pine tree")]
    assert len(pieces) == 3
    code, out, _ = second.run("status", "--json")
    assert code == 0 and json.loads(out)["account"] == email


def test_sign_in_refusals_and_sync_without_a_server_are_exit_1(
    live: LiveServer, profiles: tuple[Profile, Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = profiles
    assert (
        first.run("login", "--server", live.url, "--email", "x@example.com", "--register")[0] == 0
    )
    monkeypatch.setenv("TERRAIN_PASSWORD", "wrong password here")
    code, _, err = first.run("login", "--email", "x@example.com")
    assert code == 1 and "terrain-desktop:" in err

    first.run("new", "Waiting table")
    code, _, err = first.run("logout")
    assert code == 1 and "sync" in err  # edits would be left behind
    live.stop()
    code, _, err = first.run("sync")
    assert code == 1 and "cannot reach" in err and "kept" in err
    live.start()
    assert first.run("sync")[0] == 0
    code, _, err = first.run("logout")
    assert code == 0, err
    assert "not signed in" in first.run("status")[1]


def test_import_add_and_export_a_kit_offline(
    profiles: tuple[Profile, Profile], tmp_path: Path
) -> None:
    first, _ = profiles
    code, out, err = first.run(
        "import",
        str(shared_testdata.testdata_dir() / "openforge-kit" / "wall_base_3x2.stl"),
        "--units",
        "mm",
        "--name",
        "Floor 3x2",
    )
    assert code == 0, err
    assert "Floor 3x2  (75 x 50 x" in out
    first.run("new", "Dungeon", "--size", "600x600")
    code, out, err = first.run("add", "Dungeon", "Floor 3x2", "--count", "4", "--rotate", "90")
    assert code == 0, err
    stl = tmp_path / "dungeon.stl"
    assert first.run("export", "Dungeon", "--format", "stl", "--out", str(stl))[0] == 0
    first.run("new", "Single")
    first.run("add", "Single", "Floor 3x2")
    single = tmp_path / "single.stl"
    assert first.run("export", "Single", "--format", "stl", "--out", str(single))[0] == 0
    whole, one = trimesh.load(stl), trimesh.load(single)
    assert len(whole.faces) == 4 * len(one.faces) > 0
    # turned a quarter: each piece is 50 mm along x and 75 along y
    assert whole.extents[1] > 2 * 75 > whole.extents[0] > 2 * 50
    for fmt in ("csv", "pdf", "png"):
        out_file = tmp_path / f"dungeon.{fmt}"
        code, _, err = first.run("export", "Dungeon", "--format", fmt, "--out", str(out_file))
        assert code == 0, err
        assert out_file.stat().st_size > 0
    assert "Floor 3x2,4" in (tmp_path / "dungeon.csv").read_text()


def test_ambiguous_and_unknown_names_and_usage_errors(profiles: tuple[Profile, Profile]) -> None:
    first, _ = profiles
    first.run("new", "Twin")
    first.run("new", "twin")
    code, _, err = first.run("add", "Twin", "Pine tree")
    assert code == 1
    assert "2 tables are named 'Twin'" in err and len(err.splitlines()) == 3
    code, _, err = first.run("add", "Sample table", "No such piece")
    assert code == 1 and "no asset named or numbered 'No such piece'" in err
    code, out, _ = first.run("tables", "--json")
    assert code == 0 and sorted(t["name"] for t in json.loads(out)) == [
        "Sample table",
        "Twin",
        "twin",
    ]
    code, out, _ = first.run("add", "Sample table", "Pine tree", "--count", "2", "--json")
    first_piece, second_piece = json.loads(out)
    assert code == 0 and first_piece["x"] < second_piece["x"]
    assert first.run("new", "Huge", "--size", "100x100ft")[0] == 2
    assert first.run("add", "Sample table", "Pine tree", "--count", "0")[0] == 2
    assert first.run("import", "/no/such/file.stl")[0] == 1


def test_add_refuses_what_would_pass_the_piece_limit(profiles: tuple[Profile, Profile]) -> None:
    first, _ = profiles
    first.run("new", "Crowded", "--size", "6x4ft")
    assert first.run("add", "Crowded", "Boulder", "--count", "990")[0] == 0
    code, _, err = first.run("add", "Crowded", "Boulder", "--count", "11")
    assert code == 1 and "at most 1000 pieces" in err
    code, out, _ = first.run("check", "Crowded", "--json")
    assert len(json.loads(out)) >= 0  # the table is still whole and readable


def test_without_a_keyring_login_refuses_unless_told_to_keep_a_file(
    live: LiveServer, profiles: tuple[Profile, Profile]
) -> None:
    import keyring
    from keyring.backends import fail

    first, _ = profiles
    keyring.set_keyring(fail.Keyring())  # a computer with no keyring (the fixture restores it)
    email = "no-keyring@example.com"

    code, _, err = first.run("login", "--server", live.url, "--email", email, "--register")
    assert code == 1 and "--token-file" in err
    assert "not signed in" in first.run("status")[1]  # nothing half-kept

    code, out, err = first.run("login", "--email", email, "--token-file")
    assert code == 0, err
    assert "only you can read" in out
    kept = first.folder / "sign-in-tokens.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    first.run("new", "Kept table")
    code, out, err = first.run("sync", "--json")  # a later run signs in from the file
    assert code == 0, err
    assert json.loads(out)["account"] == email
    headers = {"Authorization": f"Bearer {json.loads(kept.read_text()).popitem()[1]}"}
    mine = httpx.get(f"{live.url}/api/tables/mine", headers=headers).json()
    assert "Kept table" in [t["name"] for t in mine["tables"]]

    assert first.run("logout")[0] == 0
    assert not kept.exists()


def test_print_plan_puts_owned_pieces_on_plates_and_lists_the_rest_to_buy(
    profiles: tuple[Profile, Profile], tmp_path: Path
) -> None:
    from terrain_desktop.domain.catalogue import bundled_library, sample_asset_id
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.store.mesh_cache import AssetInfo, DisplayMeshCache

    first, _ = profiles
    code, out, err = first.run(
        "import",
        str(shared_testdata.testdata_dir() / "openforge-kit" / "wall_base_3x2.stl"),
        "--units",
        "mm",
        "--json",
    )
    assert code == 0, err
    imported = json.loads(out)["id"]
    # a priced catalogue asset seen in the browser, its preview mesh on this computer
    first.monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(first.folder))
    cache = DisplayMeshCache()
    arch = "7d2a3c1e-0000-4000-8000-000000000001"
    cache.remember(AssetInfo(arch, "Gothic arch", "ruins", (), (50, 20, 80), "3.00"))
    pine = bundled_library()[sample_asset_id("pine-tree")]
    cache.add(arch, [pine.mesh_path.read_bytes()])
    spots = [(imported, 100), (imported, 200), (sample_asset_id("pine-tree"), 300), (arch, 400)]
    spots.append((arch, 500))
    store = LocalStore(first.folder / "terrain.sqlite")
    placements = [{"id": f"p{i}", "modelId": a, "x": x, "y": 300} for i, (a, x) in enumerate(spots)]
    store.create_table("Keep", 600, 600, placements=placements)
    store.close()
    out_dir = tmp_path / "plates"

    code, out, err = first.run(
        "print-plan", "Keep", "--printer", "Prusa MINI+", "--out", str(out_dir), "--json"
    )

    assert code == 0, err
    summary = json.loads(out)
    assert summary["parts"] == 3 and summary["printer"]["bed_mm"] == [180, 180, 180]
    assert summary["buy_first"] == [{"asset": arch, "name": "Gothic arch", "count": 2}]
    assert [Path(f).name for f in summary["files"]] == ["plate-01.3mf"]
    assert "15% infill" in summary["assumptions"] and summary["filament_g"] > 0
    plate = trimesh.load(out_dir / "plate-01.3mf")
    assert len(plate.graph.nodes_geometry) == 3 and "Pine tree 1" in plate.graph.nodes_geometry
    code, out, _ = first.run("print-plan", "Keep", "--bed", "120x120x60", "--out", str(out_dir))
    assert code == 0 and "Buy first: Gothic arch x2" in out
    assert "Pine tree 1: on its side" in out  # 90 mm tall, the bed 60
    assert first.run("print-plan", "Keep", "--bed", "0x10x10", "--out", str(out_dir))[0] == 2
    code, out, err = first.run("print-plan", "Keep", "--out", str(out_dir), "--add-to-cart")
    assert code == 0 and "Put 1 asset in the cart" in out, err
    code, out, _ = first.run("print-plan", "Keep", "--out", str(out_dir), "--add-to-cart", "--json")
    assert json.loads(out)["added_to_cart"] == []  # the cart kept them: nothing more to add
    code, _, err = first.run("print-plan", "Keep", "--out", str(out_dir / "plate-01.3mf"))
    assert code == 1 and "is a file" in err

    # the exports for virtual tables say which pieces come from previews
    vtt, tts = tmp_path / "keep.dd2vtt", tmp_path / "keep.json"
    code, out, err = first.run(
        "export", "Keep", "--format", "uvtt", "--out", str(vtt), "--ppi", "20"
    )
    assert code == 0, err
    assert "2 pieces are not yours yet: drawn from catalogue previews" in out
    data = json.loads(vtt.read_text())
    assert data["resolution"]["pixels_per_grid"] == 20 and data["line_of_sight"]
    code, out, err = first.run("export", "Keep", "--format", "tts", "--out", str(tts))
    assert code == 0 and "(5 pieces; models in keep_models/)" in out, err
    assert len(json.loads(tts.read_text())["ObjectStates"]) == 6  # and the mat
    assert first.run("export", "Keep", "--format", "uvtt", "--out", str(vtt), "--ppi", "1")[0] == 2
