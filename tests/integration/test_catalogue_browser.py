"""The catalogue browser against the real server: a user registers in the app, searches with a
typo, opens an asset, adds it and a curated set to the open table, and scrolls through pages.
"""

from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from server.settings import Settings
from terrain_desktop.ui.catalogue_window import CatalogueWindow
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QDialogButtonBox, Qt, QWidget
from tests.integration.catalogue_seed import SET_MEMBERS, SET_NAME, seed_catalogue
from tests.integration.conftest import LiveServer

WAIT = 30_000


def register_in_app(qtbot: QtBot, window: MainWindow) -> str:
    """File ▸ Sign in…, "register" ticked, as a user fills it in; the first sync follows."""
    from terrain_desktop.ui.sign_in_dialog import SignInDialog
    from tests.desktop.ui.conftest import answer_next_dialog

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.email.setText("browser@example.com")
        dialog.password.setText("a long enough password")
        dialog.register.setChecked(True)
        dialog.confirm.setText("a long enough password")  # typed twice for a new account
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    table_id = window.doc.table_id  # type: ignore[union-attr]
    window.editor.rename_table(table_id, "My first table")  # edited: it goes to the server
    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.store.table(table_id).sync_state == "synced", timeout=WAIT)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=WAIT)
    return table_id


def open_catalogue(qtbot: QtBot, window: MainWindow) -> CatalogueWindow:
    window.actions_.catalogue.trigger()
    catalogue = window.catalogue_window
    assert isinstance(catalogue, CatalogueWindow)
    qtbot.waitExposed(catalogue)
    return catalogue


def server_library(live: LiveServer, table_id: str, token: str) -> set[str]:
    answer = httpx.get(
        f"{live.url}/api/tables/{table_id}/library",
        params={"limit": 200},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return {a["id"] for a in answer.json()["assets"]}


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_typo_finds_an_asset_which_joins_the_table_with_a_set(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
    memory_keyring,  # type: ignore[no-untyped-def]
    data_dir: Path,
) -> None:
    seeded = seed_catalogue(db, settings)
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    table_id = register_in_app(qtbot, window)
    token = memory_keyring.get_password("terrain-builder", f"{live.url}|{window.signed_in_user()}")

    catalogue = open_catalogue(qtbot, window)
    browser = catalogue.browser
    browser.search.clear()
    qtbot.keyClicks(browser.search, "barels")  # a typo: the server's trigram match finds it
    qtbot.waitUntil(
        lambda: browser.query.text == "barels" and browser.item_named("Powder Barrel") is not None,
        timeout=WAIT,
    )
    assert browser.total == 1 and "1 asset" in browser.status.text()

    item = browser.item_named("Powder Barrel")
    assert item is not None and item.text().endswith(" · preview")  # a paid model, not owned
    qtbot.waitUntil(lambda: not item.icon().isNull() and browser.timings[0].shown is not None)
    rect = browser.list.visualItemRect(item)
    qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = catalogue.detail
    qtbot.waitUntil(lambda: detail.mesh_shown, timeout=WAIT)  # the 3D preview of its mesh
    # Beside it, the server's four pictures of the full mesh.
    qtbot.waitUntil(lambda: all(not v.pixmap().isNull() for v in detail.views), timeout=WAIT)
    assert detail.title.text() == "Powder Barrel"
    assert detail.artist.text() == "Harbourside Miniatures"
    assert detail.price.text() == "$1.50"
    qtbot.waitUntil(lambda: detail.triangles.text() == "1,200 (3D view: preview)")  # not owned
    assert (
        "mm" in detail.dimensions.text() and detail.triangles.text() == "1,200 (3D view: preview)"
    )
    cached = catalogue.browsing.cache.cached_thumbnail(item.data(Qt.ItemDataRole.UserRole))
    assert cached is not None and cached.is_relative_to(data_dir)  # on disk, in the app's data

    # The artist's profile, from the detail.
    click(qtbot, detail.artist)
    qtbot.waitUntil(lambda: catalogue.artist.profile is not None, timeout=WAIT)
    assert catalogue.artist.name.text() == "Harbourside Miniatures"
    assert catalogue.artist.models.count() == len(seeded.assets)
    click(qtbot, catalogue.back)
    assert catalogue.pages.currentWidget() is detail

    # Add to this table: the server's library and the drawer both have it.
    barrel = seeded.assets["Powder Barrel"]
    click(qtbot, detail.add_button)
    qtbot.waitUntil(lambda: window.drawer.item_for(barrel) is not None, timeout=WAIT)
    assert barrel in server_library(live, table_id, token)
    assert "Added Powder Barrel" in catalogue.status.text()
    assert window.store.pending_count() == 0  # the server has it already: nothing queued

    # A whole set, from the Sets tab.
    catalogue.tabs.setCurrentWidget(catalogue.sets)
    sets = catalogue.sets
    qtbot.waitUntil(lambda: sets.item_named(SET_NAME) is not None, timeout=WAIT)
    set_item = sets.item_named(SET_NAME)
    rect = sets.sets.visualItemRect(set_item)
    qtbot.mouseClick(sets.sets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: sets.add_button.isEnabled(), timeout=WAIT)
    assert sets.assets.count() == len(SET_MEMBERS)
    click(qtbot, sets.add_button)
    members = {seeded.assets[n] for n in SET_MEMBERS}
    qtbot.waitUntil(
        lambda: all(window.drawer.item_for(a) is not None for a in members), timeout=WAIT
    )
    assert members <= server_library(live, table_id, token)
    assert "2 new, 1 already there" in catalogue.status.text()


def test_the_asset_page_gives_sizes_in_the_units_setting(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
) -> None:
    seed_catalogue(db, settings)
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    window.inch_action.trigger()  # View ▸ Show inches

    catalogue = open_catalogue(qtbot, window)
    browser = catalogue.browser
    browser.search.clear()
    qtbot.keyClicks(browser.search, "barrel")
    qtbot.waitUntil(lambda: browser.item_named("Powder Barrel") is not None, timeout=WAIT)
    item = browser.item_named("Powder Barrel")
    assert item is not None
    rect = browser.list.visualItemRect(item)
    qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = catalogue.detail
    qtbot.waitUntil(lambda: detail.title.text() == "Powder Barrel", timeout=WAIT)

    assert " in (w × d × h)" in detail.dimensions.text() and "mm" not in detail.dimensions.text()
    qtbot.waitUntil(lambda: detail.mesh_shown, timeout=WAIT)  # the page has settled


def test_scrolling_loads_the_next_page(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
) -> None:
    seed_catalogue(db, settings, fillers=56)  # 60 assets: three pages of 24
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    catalogue = open_catalogue(qtbot, window)
    browser = catalogue.browser
    qtbot.waitUntil(lambda: browser.list.count() >= 24 and browser.total == 60, timeout=WAIT)
    bar = browser.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    pages_before = len(browser.timings)

    bar.setValue(bar.maximum())  # the user drags the scroll bar to the end
    qtbot.waitUntil(lambda: browser.list.count() > 24 * pages_before, timeout=WAIT)
    qtbot.waitUntil(lambda: bar.maximum() > bar.value())
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: browser.list.count() == 60, timeout=WAIT)
    assert len(browser.timings) == 3 and "showing 60" in browser.status.text()
    qtbot.waitUntil(lambda: all(t.shown is not None for t in browser.timings), timeout=WAIT)

    # The filters start the search over: a category, then a price ceiling typed in.
    browser.category.setCurrentText("Rocks")
    qtbot.waitUntil(lambda: browser.total == 57 and browser.list.count() == 24, timeout=WAIT)
    qtbot.keyClicks(browser.max_price, "0.50")
    qtbot.waitUntil(lambda: browser.total == 1, timeout=WAIT)
    assert browser.item_named("Mossy Boulder") is not None and browser.list.count() == 1


def test_a_never_synced_table_queues_the_asset_and_says_so(
    qtbot: QtBot,
    open_window,  # type: ignore[no-untyped-def]
    live: LiveServer,
    db: Session,
    settings: Settings,
) -> None:
    seeded = seed_catalogue(db, settings)
    window: MainWindow = open_window()
    window.store.set_meta("server_url", live.url)
    table_id = window.doc.table_id  # type: ignore[union-attr]
    catalogue = open_catalogue(qtbot, window)
    browser = catalogue.browser
    qtbot.keyClicks(browser.search, "watchtower")
    qtbot.waitUntil(lambda: browser.item_named("Watchtower Ruin") is not None, timeout=WAIT)
    browser.list.setCurrentItem(browser.item_named("Watchtower Ruin"))
    click(qtbot, catalogue.detail.add_button)
    tower = seeded.assets["Watchtower Ruin"]
    qtbot.waitUntil(lambda: window.drawer.item_for(tower) is not None, timeout=WAIT)
    assert "reaches the server when it syncs" in catalogue.status.text()
    queued = [getattr(m, "asset_id", None) for m in window.store.pending()]
    assert tower in {str(a) for a in queued if a is not None}

    window.sync_action.trigger()  # the first sync takes the table and its new asset up
    qtbot.waitUntil(lambda: window.store.pending_count() == 0, timeout=WAIT)
    session = window.store.get_meta("anonymous_session_id")
    library = httpx.get(
        f"{live.url}/api/tables/{table_id}/library",
        params={"limit": 200},
        headers={"x-session-id": str(session)},
    ).json()
    assert tower in {a["id"] for a in library["assets"]}
