"""The cart in the window: pieces go in from the drawer, quantities change, and the cart is
still there after the app is closed and opened again. No server here (prices wait for one)."""

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QSpinBox, Qt


def choose_in_drawer(qtbot: QtBot, window: MainWindow, name: str) -> str:
    item = window.drawer.item_for_name(name)
    assert item is not None
    view = window.drawer.list
    view.scrollToItem(item)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
    )
    assert view.currentItem() is item
    return str(item.data(Qt.ItemDataRole.UserRole))


def cart_rows(window: MainWindow) -> list[tuple[str, int]]:
    table = window.shop.cart_panel.table
    rows = []
    for row in range(table.rowCount()):
        name, box = table.item(row, 0), table.cellWidget(row, 1)
        assert name is not None and isinstance(box, QSpinBox)
        rows.append((name.text(), box.value()))
    return rows


def test_pieces_go_into_the_cart_from_the_drawer_and_stay_there(
    qtbot: QtBot, open_window: Callable[[], MainWindow]
) -> None:
    window = open_window()
    window.store.set_meta("server_url", "http://127.0.0.1:1")  # nothing answers there
    add = window.shop.add_to_cart_action
    assert add in window.actions()  # in the Shop menu, and the drawer's context menu

    pine = choose_in_drawer(qtbot, window, "Pine tree")
    add.trigger()
    add.trigger()
    choose_in_drawer(qtbot, window, "Farmhouse")
    add.trigger()

    assert cart_rows(window) == [("Pine tree", 2), ("Farmhouse", 1)]
    assert "Added Farmhouse to the cart" in window.statusBar().currentMessage()
    panel = window.shop.cart_panel
    qtbot.waitUntil(lambda: "Prices unavailable" in panel.total.text(), timeout=30_000)
    farmhouse_box = panel.table.cellWidget(1, 1)
    assert isinstance(farmhouse_box, QSpinBox)
    farmhouse_box.setValue(3)  # as the arrows or typing would
    remove = panel.table.cellWidget(0, 4)
    assert remove is not None
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert cart_rows(window) == [("Farmhouse", 3)]
    assert window.shop.shop.cart.quantity(pine) == 0
    window.close()

    again = open_window()

    assert cart_rows(again) == [("Farmhouse", 3)]
    assert again.shop.cart_panel.checkout_button.isEnabled()


def test_add_to_cart_takes_the_piece_selected_on_the_table_and_refuses_what_you_own(
    qtbot: QtBot, open_window: Callable[[], MainWindow]
) -> None:
    from pathlib import Path

    from terrain_desktop.app_data import data_dir
    from terrain_desktop.domain import commands
    from terrain_desktop.meshes import importer

    window = open_window()
    window.store.set_meta("server_url", "http://127.0.0.1:1")  # nothing answers there
    doc = window.doc
    assert doc is not None
    choose_in_drawer(qtbot, window, "Pine tree")  # the drawer points elsewhere
    doc.select({"sample-farmhouse"})

    window.shop.add_to_cart_action.trigger()

    assert cart_rows(window) == [("Farmhouse", 1)]
    assert "Added Farmhouse to the cart" in window.statusBar().currentMessage()

    # A model the user imported is theirs: it stays out of the cart, and they are told.
    stl = Path("/work/shared/testdata/openforge/of_face_25.stl")
    inspection = importer.inspect(stl)
    units = inspection.guessed_units
    mine = importer.import_model(window.store, inspection, units, "My wall", data_dir() / "m")
    window.editor.imported(mine)
    window.editor.push(commands.place(doc, mine, 300, 300))
    doc.select({p.id for p in doc.pieces.values() if p.asset_id == mine.id})

    window.shop.add_to_cart_action.trigger()

    assert cart_rows(window) == [("Farmhouse", 1)]
    assert "You already own My wall" in window.statusBar().currentMessage()
    panel = window.shop.cart_panel  # the prices asked for are answered (nobody is there)
    qtbot.waitUntil(lambda: "Prices unavailable" in panel.total.text(), timeout=30_000)


def test_the_carts_asset_column_keeps_its_whole_heading_in_a_narrow_dock(
    qtbot: QtBot, open_window: Callable[[], MainWindow]
) -> None:
    window = open_window()
    window.store.set_meta("server_url", "http://127.0.0.1:1")
    choose_in_drawer(qtbot, window, "Farmhouse")
    window.shop.add_to_cart_action.trigger()
    panel = window.shop.cart_panel
    panel.table.resize(120, 200)  # squeezed
    qtbot.waitUntil(lambda: "Prices unavailable" in panel.total.text(), timeout=30_000)
    header = panel.table.horizontalHeader()
    heading = header.fontMetrics().horizontalAdvance("Asset")
    assert panel.table.model().headerData(0, Qt.Orientation.Horizontal) == "Asset"
    assert header.sectionSize(0) >= heading + 12  # room for the whole word and its margins
