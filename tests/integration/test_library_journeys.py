"""The table library and meshes on demand, driven in the real window against the real server:
add a set, its meshes arrive with progress, place one of its pieces; remove an asset and undo
it online and offline; a table opened offline shows placeholders until the server is back."""

from dataclasses import dataclass
from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from server.settings import Settings
from server.storage import LocalStorage
from terrain_desktop.app import mesh_downloads
from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.syncing import sync_store
from terrain_desktop.app_data import ensure_sample_table
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.store.mesh_cache import DRAWN_TRIANGLES, DisplayMeshCache
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.ui.catalogue_window import CatalogueWindow
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QDialogButtonBox, QInputDialog, Qt, QWidget
from tests.desktop.ui.conftest import answer_next_dialog
from tests.desktop.ui.test_journeys import drag_from_drawer
from tests.integration.conftest import LiveServer
from tests.server.factories import make_artist, make_asset, make_set
from tests.server.ladders import best_preview, give_ladder

SYNC_TIMEOUT = 60_000
#: Server assets made from bundled meshes, under names the sample library does not use.
SEEDED = {"Broken column": "ruined-tower", "Crater field": "rock-cluster", "Old well": "water-tank"}


@dataclass(frozen=True)
class Seeded:
    set_id: str
    set_name: str
    #: By name: (asset id, the bundled asset whose mesh and size it has).
    assets: dict[str, tuple[str, LibraryAsset]]


def seed_catalogue(db: Session, settings: Settings) -> Seeded:
    """Published assets with display meshes and thumbnails in the server's storage, and a
    curated set of them (as the upload worker would leave them)."""
    storage = LocalStorage(Path(settings.storage_dir))
    bundled = {a.mesh_path.stem: a for a in bundled_library().values()}
    artist = make_artist(db, "Forge")
    made = {}
    for name, slug in SEEDED.items():
        source = next(a for a in bundled.values() if a.mesh_path.stem == slug)
        asset = make_asset(db, artist, name, category=source.category)
        storage.put_file(f"display/{asset.id}.glb", source.mesh_path)
        storage.put_file(f"thumbnails/{asset.id}.png", source.thumbnail_path)
        asset.display_file_path = f"display/{asset.id}.glb"
        give_ladder(db, storage, asset, source.mesh_path)
        asset.thumbnail_path = f"thumbnails/{asset.id}.png"
        w, d, h = source.size_mm
        asset.dimensions_mm = {"x": w, "y": d, "z": h}
        made[name] = (asset, source)
    db.commit()
    ruins = make_set(db, artist, [a for a, _ in made.values()], "Ruins of the north")
    return Seeded(
        str(ruins.id), "Ruins of the north", {n: (str(a.id), s) for n, (a, s) in made.items()}
    )


def sync_now(qtbot: QtBot, window: MainWindow) -> None:
    """File → Sync now, and it went through: nothing is left waiting to be sent."""
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=SYNC_TIMEOUT)
    window.statusBar().messageChanged.disconnect(messages.append)
    assert window.store.pending_count() == 0, messages


def downloads_settled(window: MainWindow) -> bool:
    running = window.library.fetcher.running
    return running is None or not running.running


def server_library(live: LiveServer, window: MainWindow) -> set[str]:
    assert window.doc is not None
    session = window.store.get_meta("anonymous_session_id")
    assert session
    answer = httpx.get(
        f"{live.url}/api/tables/{window.doc.table_id}/library",
        params={"limit": 200},
        headers={"x-session-id": session},
    )
    answer.raise_for_status()
    return {a["id"] for a in answer.json()["assets"]}


def add_set_from_the_library_dock(qtbot: QtBot, window: MainWindow, seeded: Seeded) -> None:
    """Library dock → Add set… opens the catalogue browser's sets; choose one, Add set."""
    window.library.dock.raise_()
    qtbot.mouseClick(window.library.panel.add_set_button, Qt.MouseButton.LeftButton)
    catalogue = window.catalogue_window
    assert isinstance(catalogue, CatalogueWindow)
    qtbot.waitExposed(catalogue)
    sets = catalogue.sets
    assert catalogue.tabs.currentWidget() is sets
    qtbot.waitUntil(lambda: sets.item_named(seeded.set_name) is not None, timeout=SYNC_TIMEOUT)
    rect = sets.sets.visualItemRect(sets.item_named(seeded.set_name))
    qtbot.mouseClick(sets.sets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: sets.add_button.isEnabled(), timeout=SYNC_TIMEOUT)
    qtbot.mouseClick(sets.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Added the set" in catalogue.status.text(), timeout=SYNC_TIMEOUT)


def test_add_a_set_its_meshes_arrive_with_progress_and_a_piece_goes_on_the_table(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
    data_dir: Path,
) -> None:
    seeded = seed_catalogue(db, settings)
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    bar_values: list[int] = []
    window.library.progress.valueChanged.connect(bar_values.append)

    sync_now(qtbot, window)  # the table is on the server: the set is added there at once
    add_set_from_the_library_dock(qtbot, window, seeded)

    column_id, _ = seeded.assets["Broken column"]
    qtbot.waitUntil(
        lambda: (
            window.drawer.item_for(column_id) is not None
            and downloads_settled(window)
            and all(
                window.editor.catalogue.get(i) is not None
                and window.editor.catalogue.get(i).mesh_path.is_file()  # type: ignore[union-attr]
                for i, _ in seeded.assets.values()
            )
        ),
        timeout=SYNC_TIMEOUT,
    )
    assert any(m.startswith("Downloading “") for m in messages)  # progress was shown
    assert bar_values and max(bar_values) == 100
    assert "Downloaded 3 mesh(es)." in messages
    # Content-addressed, in the data directory's cache, each the server's best preview tier
    # (the pieces are paid and not owned) byte for byte.
    cache = DisplayMeshCache(data_dir / "cache" / "meshes")
    storage = LocalStorage(Path(settings.storage_dir))
    for asset_id, _source in seeded.assets.values():
        stored = cache.path(asset_id)
        expected = best_preview(db, storage, asset_id, DRAWN_TRIANGLES)
        assert stored is not None and stored.read_bytes() == expected
        item = window.drawer.item_for(asset_id)
        assert item is not None and item.text().endswith(" · preview")  # not owned
    # The library dock lists them as the catalogue's, downloaded.
    panel = window.library.panel
    panel.source.setCurrentIndex(panel.source.findData("catalogue"))
    names = sorted(panel.list.item(i).text() for i in range(panel.list.count()))
    assert [n.split(" — ")[0] for n in names] == sorted(SEEDED)
    assert not any("not downloaded" in n for n in names)

    drag_from_drawer(window, window.drawer, column_id, 600, 450)
    assert window.doc is not None
    placed = next(p for p in window.doc.pieces.values() if p.asset_id == column_id)
    actor = window.viewport.scene.actors[placed.id]
    assert placed.id not in window.viewport.scene.placeholders  # the real mesh, not a box
    assert actor.GetMapper() in window.viewport.scene._tiers[column_id][0]  # its LOD ladder
    assert window.drawer.recent_assets()[0].id == column_id  # first in "Recently used"

    # Library → Mesh cache limit… at 0 MB keeps only what the open table shows.
    def set_limit(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setIntValue(0)
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, set_limit)
    window.library.cache_limit_action.trigger()
    assert window.editor.preferences.get(prefs.MESH_CACHE_LIMIT_MB) == 0
    kept = {i for i, _ in seeded.assets.values() if cache.path(i, touch=False) is not None}
    assert kept == {column_id}
    assert "2 mesh(es) removed" in window.statusBar().currentMessage()


def test_remove_a_library_asset_and_undo_it_online_then_offline(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
) -> None:
    seeded = seed_catalogue(db, settings)
    window: MainWindow = open_window()
    window.editor.rename_table(window.doc.table_id, "My first table")  # type: ignore[union-attr]
    window.store.set_meta("server_url", live.url)
    sync_now(qtbot, window)  # the (edited) table is on the server: the set is added there at once
    add_set_from_the_library_dock(qtbot, window, seeded)
    well_id, _ = seeded.assets["Old well"]
    qtbot.waitUntil(lambda: window.drawer.item_for(well_id) is not None, timeout=SYNC_TIMEOUT)
    assert well_id in server_library(live, window)
    panel, toast = window.library.panel, window.library.toast

    def remove_the_well() -> None:
        panel.search.setText("well")
        item = panel.item_for_name("Old well")
        assert item is not None and panel.list.count() == 1
        panel.list.setCurrentItem(item)
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
        assert toast.isVisible() and "Old well" in toast.label.text()
        assert window.drawer.item_for(well_id) is None
        sync_now(qtbot, window)
        assert well_id not in server_library(live, window)

    # Online: Undo asks the server's restore at once, no sync needed.
    remove_the_well()
    qtbot.mouseClick(toast.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "“Old well” is back in the library.",
        timeout=SYNC_TIMEOUT,
    )
    assert not toast.isVisible()
    assert well_id in server_library(live, window)
    assert window.drawer.item_for(well_id) is not None

    # Offline: the undo is made here, and the server hears of it at the next sync.
    remove_the_well()
    live.stop()
    qtbot.mouseClick(toast.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "server hears of it at the next sync" in window.statusBar().currentMessage(),
        timeout=SYNC_TIMEOUT,
    )
    assert window.drawer.item_for(well_id) is not None
    live.start()
    sync_now(qtbot, window)
    assert well_id in server_library(live, window)
    assert window.store.pending_count() == 0


def test_a_table_opened_offline_shows_placeholders_then_the_meshes(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
    data_dir: Path,
) -> None:
    seeded = seed_catalogue(db, settings)
    crater_id, crater_source = seeded.assets["Crater field"]
    # Earlier, this computer synced a table with a crater on it and learnt what the crater
    # is; then the connection went before its mesh came.
    path = data_dir / "terrain.sqlite"
    store = LocalStore(path)
    ensure_sample_table(store)
    table_id = store.tables()[0].id
    store.add_library_asset(table_id, crater_id)
    piece_id = store.add_placement(table_id, crater_id, x=300, y=300)
    store.set_meta("server_url", live.url)
    sync_store(path, live.url, None, None)
    client = ApiClient(live.url, session_id=store.get_meta("anonymous_session_id"))
    learnt = mesh_downloads.download(
        client, DisplayMeshCache(), [crater_id], cancelled=lambda: True
    )
    client.close()
    store.close()
    assert learnt.downloaded == [] and not learnt.failed
    live.stop()

    window: MainWindow = open_window()
    scene = window.viewport.scene
    assert window.doc is not None and piece_id in window.doc.pieces
    qtbot.waitUntil(lambda: window.library.fetcher.last is not None, timeout=SYNC_TIMEOUT)
    assert window.library.fetcher.last.offline  # type: ignore[union-attr]
    assert "Offline" in window.statusBar().currentMessage()
    # A see-through hatched box of the crater's known size stands where the crater goes.
    assert scene.placeholders.get(piece_id) == crater_id
    box = scene.actors[piece_id]
    assert box.GetTexture() is not None  # hatched
    assert box.GetProperty().GetOpacity() < 1
    x0, x1, y0, y1, z0, z1 = box.GetBounds()
    width, depth, height = crater_source.size_mm
    assert (round(x1 - x0), round(y1 - y0), round(z1 - z0)) == (
        round(width),
        round(depth),
        round(height),
    )
    assert (round((x0 + x1) / 2), round((y0 + y1) / 2)) == (300, 300)

    # The server is back: the next sync brings the mesh, which takes the box's place.
    live.start()
    sync_now(qtbot, window)
    qtbot.waitUntil(lambda: piece_id not in scene.placeholders, timeout=SYNC_TIMEOUT)
    actor = scene.actors[piece_id]
    assert actor.GetTexture() is None and actor.GetProperty().GetOpacity() == 1
    assert actor.GetMapper() in scene._tiers[crater_id][0]  # the mesh's level-of-detail ladder
