"""The buying actions and the cart dock: "Buy this table's pieces…", "Add to cart" (the
drawer's context menu and the Shop menu), the cart, and "My orders…".

It works the shell's `Shop` operation; the window only places `actions` in a menu, and the
dock goes among its panels.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from terrain_desktop.app.shell import AppShell
from terrain_desktop.ui.bill_of_materials import (
    BillOfMaterialsDialog,
    TableCosts,
    show_bill_of_materials,
)
from terrain_desktop.ui.cart_panel import CartPanel
from terrain_desktop.ui.drawer import ASSET_ROLE, AssetDrawer, AssetList
from terrain_desktop.ui.orders_dialog import OrdersDialog
from terrain_desktop.ui.qt import (
    QAction,
    QDockWidget,
    QMenu,
    QPoint,
    Qt,
    QVBoxLayout,
)
from terrain_desktop.ui.window_view import WindowView
from terrain_protocol.catalogue import AssetOut

if TYPE_CHECKING:
    from terrain_desktop.ui.catalogue_window import CatalogueWindow
    from terrain_desktop.ui.shared_table_view import SharedTableView


class ShopController:
    def __init__(self, shell: AppShell, view: WindowView, drawer: AssetDrawer) -> None:
        self.shell = shell
        self.view = view
        self.window = window = view.frame
        self.drawer = drawer
        self.shop = shell.shop
        self.cart_panel = CartPanel(self.shop, view.show_message)
        self.cart_dock = QDockWidget("Cart", window)
        self.cart_dock.setObjectName("Cart")
        self.cart_dock.setWidget(self.cart_panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.cart_dock)
        if not len(self.shop.cart):
            self.cart_dock.hide()  # until something goes in (or Shop ▸ Cart)
        self.bill_dialog: BillOfMaterialsDialog | None = None
        self.orders_dialog: OrdersDialog | None = None
        self._menu_view: AssetList | None = None
        self.shared_costs: TableCosts | None = None

        self.buy_table_action = QAction("Buy this table's pieces…", window)
        self.buy_table_action.triggered.connect(self.buy_table)
        self.add_to_cart_action = QAction("Add to cart", window)
        self.add_to_cart_action.triggered.connect(self.add_chosen_to_cart)
        self.cart_action = QAction("Cart", window)
        self.cart_action.triggered.connect(self.show_cart)
        self.orders_action = QAction("My orders…", window)
        self.orders_action.triggered.connect(self.show_orders)
        for pieces in (drawer.list, drawer.recent_list):
            pieces.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            pieces.customContextMenuRequested.connect(
                lambda point, view=pieces: self._drawer_menu(view, point)
            )

    def refresh_after_payment(self, refresh: Callable[[Iterable[str]], None]) -> None:
        """Once an order is paid, `refresh` fetches its assets again (now with full tiers)."""
        self.cart_panel.on_paid = lambda order: refresh(str(line.asset_id) for line in order.lines)

    @property
    def actions(self) -> list[QAction]:
        return [
            self.buy_table_action,
            self.add_to_cart_action,
            self.cart_action,
            self.orders_action,
        ]

    def buy_table(self) -> None:
        """The open table's bill of materials, with one button for what is missing."""
        doc = self.shell.editor.doc
        if doc is None:
            self.view.show_message("Open a table first.", 5000)
            return
        self.show_bill([piece.asset_id for piece in doc.pieces.values()], doc.table.name)

    def show_bill(self, asset_ids: Iterable[str], title: str) -> BillOfMaterialsDialog:
        """The bill of materials of any pieces (one asset id per piece): the open table, or a
        shared table opened by its code or about to be cloned, before it is."""
        self.bill_dialog = show_bill_of_materials(self.shop, asset_ids, title, self.window)
        self.bill_dialog.add_button.clicked.connect(self.show_cart)
        return self.bill_dialog

    def add_chosen_to_cart(self) -> None:
        """The piece chosen in the drawer goes into the cart (one more of it)."""
        view = self._menu_view or self.drawer.list
        self._menu_view = None
        item = view.currentItem()
        if item is None:
            self.view.show_message("Choose a piece in the drawer first.", 5000)
            return
        asset_id = str(item.data(ASSET_ROLE))
        self.shop.cart.add(asset_id)
        self.view.show_message(f"Added {item.text()} to the cart.", 5000)
        self.show_cart()

    def _drawer_menu(self, view: AssetList, point: QPoint) -> None:
        item = view.itemAt(point)
        if item is None:
            return
        view.setCurrentItem(item)
        self._menu_view = view
        menu = QMenu(view)
        menu.addAction(self.add_to_cart_action)
        menu.popup(view.viewport().mapToGlobal(point))

    def show_cart(self) -> None:
        self.cart_dock.show()
        self.cart_dock.raise_()

    def show_orders(self) -> None:
        self.orders_dialog = OrdersDialog(self.shop, self.window)
        self.orders_dialog.show()

    def close(self) -> None:
        """The window closes: stop following orders and downloading (the orders stay)."""
        self.cart_panel.stop_following()
        if self.orders_dialog is not None:
            self.orders_dialog.cancel_download()
        if self.bill_dialog is not None:
            self.bill_dialog.close()

    def attach_catalogue(self, catalogue: "CatalogueWindow") -> None:
        """The catalogue browser's "Add to cart" puts the asset shown into this cart."""
        catalogue.detail.cart_button.setVisible(True)
        catalogue.detail.cart_requested.connect(self.add_from_catalogue)

    def add_from_catalogue(self, asset: AssetOut) -> None:
        if not self.shop.add_from_catalogue(asset):
            self.view.show_message(f"{asset.name} is free: place it, no need to buy it.", 8000)
            return
        self.view.show_message(f"Added {asset.name} to the cart.", 5000)
        self.show_cart()

    def attach_shared_view(self, view: "SharedTableView") -> None:
        """A shared table opened by its code says, before it is cloned, what its pieces would
        cost this user (a line under its heading), with the whole bill a click away."""
        ids = [piece.asset_id for piece in view.shared.pieces]
        title = f"“{view.shared.table.name}” (shared)"
        self.shared_costs = TableCosts(self.shop, ids, lambda: self.show_bill(ids, title), view)
        layout = view.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.shared_costs)
