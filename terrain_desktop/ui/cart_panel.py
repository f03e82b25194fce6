"""The cart: thumbnails, quantities and the server's prices, and checkout.

Checkout creates the order on the server, opens its Stripe Checkout page in the system
browser (`QDesktopServices.openUrl`) and follows the order in the background, polling with a
growing wait, until it is paid, cancelled or expired; the outcome stays written under the
cart. Nothing here edits the cart except through the `Shop`.
"""

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import cast

from terrain_desktop.app import in_words
from terrain_desktop.app.shopping import EmptyCart, NotSignedIn, Shop
from terrain_desktop.domain.bill_of_materials import AssetOffer
from terrain_desktop.domain.money import format_money
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.checkout_link import CheckoutLinkDialog
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QDesktopServices,
    QHBoxLayout,
    QHeaderView,
    QIcon,
    QLabel,
    QPixmap,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from terrain_protocol.orders import PAID_ORDER_STATUSES, CreateOrderResponse, OrderOut

#: Shows a message in the status bar for so many milliseconds.
ShowMessage = Callable[[str, int], None]
ASSET, QUANTITY, PRICE, SUBTOTAL, REMOVE = range(5)


class CartPanel(QWidget):
    def __init__(self, shop: Shop, show: ShowMessage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.show_message = show
        #: Told of an order once it is paid (the window fetches the bought models' full tiers).
        self.on_paid: Callable[[OrderOut], None] | None = None
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Asset", "Qty", "Price", "Subtotal", ""])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ASSET, QHeaderView.ResizeMode.Stretch)
        # The stretched column keeps room for its heading however narrow the dock gets.
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("Asset") + 24)
        for column in (QUANTITY, PRICE, SUBTOTAL, REMOVE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.checkout_button = QPushButton("Check out…")
        self.checkout_button.clicked.connect(self.checkout)
        self.stop_button = QPushButton("Stop waiting")
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self.stop_following)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.checkout_button)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.total)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        #: The order being followed, and the latest reading of it.
        self.order: OrderOut | None = None
        self.following: BackgroundOp[OrderOut] | None = None
        #: The payment link of the order followed, to copy or open again.
        self.pay_link: CheckoutLinkDialog | None = None
        self._pricing: BackgroundOp[dict[str, AssetOffer]] | None = None
        self._thumbs: dict[str, Path | None] = {}
        self._asked: set[str] = set()
        shop.cart.changed.connect(lambda _: self.refresh())
        shop.offers_changed.connect(lambda _: self.refresh())
        self.refresh()

    # -- showing the cart ----------------------------------------------------------------------

    def refresh(self) -> None:
        lines = self.shop.cart.lines()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            offer = self.shop.offers.get(line.asset_id)
            name = QTableWidgetItem(self.shop.name(line.asset_id))
            name.setData(Qt.ItemDataRole.UserRole, line.asset_id)
            thumb = self._thumbnail(line.asset_id)
            if thumb is not None:
                name.setIcon(QIcon(QPixmap(str(thumb))))
            if offer is not None and offer.artist_name:
                name.setToolTip(f"{offer.name} by {offer.artist_name}")
            self.table.setItem(row, ASSET, name)
            self.table.setCellWidget(row, QUANTITY, self._quantity_box(line.asset_id))
            price = "…" if offer is None else format_money(offer.price) if offer.price else "free"
            subtotal = "…" if offer is None else format_money(offer.price * line.quantity)
            self.table.setItem(row, PRICE, QTableWidgetItem(price))
            self.table.setItem(row, SUBTOTAL, QTableWidgetItem(subtotal))
            remove = QPushButton("Remove")
            remove.clicked.connect(lambda _=False, a=line.asset_id: self.shop.cart.remove(a))
            self.table.setCellWidget(row, REMOVE, remove)
        self._show_total()
        ask = [a.asset_id for a in lines if a.asset_id not in self.shop.offers]
        ask = [a for a in ask if a not in self._asked]
        if ask and self._pricing is None:  # each asset asked once: the server may not sell it
            self._asked.update(ask)
            self._pricing = BackgroundOp.run(  # an answer after the window closed is dropped
                self.shop.prices_work(ask), self._priced, self._pricing_failed, owner=self
            )

    def _quantity_box(self, asset_id: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 100)
        box.setValue(self.shop.cart.quantity(asset_id))
        box.setAccessibleName(f"Quantity of {self.shop.name(asset_id)}")
        box.valueChanged.connect(lambda value: self.shop.cart.set_quantity(asset_id, value))
        return box

    def _show_total(self) -> None:
        if not len(self.shop.cart):
            self.total.setText("The cart is empty. Add pieces from the drawer or a table.")
            self.checkout_button.setEnabled(False)
            return
        subtotal = self.shop.subtotal()
        count = self.shop.cart.pieces
        money = "asking the server…" if subtotal is None else format_money(subtotal)
        self.total.setText(
            f"{count} piece(s): {money} at the server's prices; shipping and tax at checkout."
        )
        self.checkout_button.setEnabled(self.following is None)

    def _priced(self, offers: dict[str, AssetOffer]) -> None:
        self._pricing = None
        self.shop.apply_prices(offers)
        missing = {line.asset_id for line in self.shop.cart.lines()} - set(self.shop.offers)
        if missing:
            names = ", ".join(self.shop.name(a) for a in sorted(missing))
            self.outcome.setText(f"The server does not sell: {names}. Remove them to check out.")

    def _pricing_failed(self, error: Exception) -> None:
        self._pricing = None
        self._asked.clear()  # ask again when the cart next changes
        self.total.setText(f"Prices unavailable ({_reason(error)}); the server prices at checkout.")

    def _thumbnail(self, asset_id: str) -> Path | None:
        if asset_id not in self._thumbs:
            self._thumbs[asset_id] = None

            def fetched(path: Path | None) -> None:
                self._thumbs[asset_id] = path
                if path is not None:
                    self.refresh()

            BackgroundOp.run(self.shop.thumbnail_work(asset_id), fetched, lambda _: None)
        return self._thumbs[asset_id]

    # -- checkout ------------------------------------------------------------------------------

    def checkout(self) -> None:
        try:
            work = self.shop.checkout_work()
        except (NotSignedIn, EmptyCart) as why:
            self.outcome.setText(str(why))
            return
        self.checkout_button.setEnabled(False)
        self.outcome.setText("Creating your order…")
        BackgroundOp.run(work, self._order_made, self._checkout_failed)

    def _order_made(self, made: CreateOrderResponse) -> None:
        self.outcome.setText(
            f"Order {made.order_number}: pay on the Stripe page in your browser. "
            "This window follows the order until it is paid."
        )
        opened = QDesktopServices.openUrl(QUrl(made.checkout_url))
        # The link to copy, and Open again: a computer without a browser is not left waiting.
        self.pay_link = CheckoutLinkDialog(made.checkout_url, made.order_number, self)
        self.pay_link.show()
        if not opened:
            self.pay_link.no_browser()
        self.follow(made.order_id)

    def _checkout_failed(self, error: Exception) -> None:
        self.checkout_button.setEnabled(True)
        self.outcome.setText(f"Could not create the order: {_reason(error)}")

    def follow(self, order_id: uuid.UUID) -> None:
        """Follow an order in the background until it settles."""
        work = self.shop.follow_work(order_id)

        def run(context: OpContext) -> OrderOut:
            return work(lambda: context.cancelled, context.report)

        self.stop_button.setVisible(True)
        self.checkout_button.setEnabled(False)
        self.following = BackgroundOp(run, self._settled, self._follow_failed, self._polled)
        self.following.start()

    def _polled(self, progress: object) -> None:
        order, wait = cast(tuple[OrderOut, float], progress)
        self.order = order
        self.outcome.setText(
            f"Waiting for the payment of order {order.order_number} "
            f"({order.total:.2f} {order.currency.upper()}); checking again in {wait:.0f} s."
        )

    def _settled(self, order: OrderOut) -> None:
        self._stopped()
        self.order = order
        if order.status in PAID_ORDER_STATUSES and self.on_paid is not None:
            self.on_paid(order)
        message = self.shop.settle(order)
        self.outcome.setText(message)
        self.show_message(message, 15_000)

    def _follow_failed(self, error: Exception) -> None:
        self._stopped()
        self.outcome.setText(
            f"Stopped following the order ({_reason(error)}). My orders shows where it is."
        )

    def stop_following(self) -> None:
        if self.following is None:
            return
        self.following.cancel()
        self._stopped()
        self.outcome.setText("Stopped waiting. My orders shows whether the order was paid.")

    def _stopped(self) -> None:
        if self.pay_link is not None:
            self.pay_link.close()
        self.following = None
        self.stop_button.setVisible(False)
        self._show_total()


def _reason(error: Exception) -> str:
    return in_words.reason(error)
