"""Buying pieces, as operations: the cart (kept across restarts), a table's bill of
materials, checkout, following an order until it settles, and a paid order's files.

Network work is returned as a callable for the window to run in the background (the CLI and
tests may call it directly); what it brings back is applied here on the caller's thread. The
server prices everything: the cart holds asset ids and quantities, and the prices shown are the
server's, fetched with the bill of materials or the cart.
"""

import uuid
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from terrain_desktop.app.preferences import Key
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.bill_of_materials import (
    AssetOffer,
    BillOfMaterials,
    Ownership,
    bill_of_materials,
)
from terrain_desktop.domain.cart import Cart
from terrain_desktop.domain.events import Signal
from terrain_desktop.sync import orders_client
from terrain_desktop.sync.client import ApiClient
from terrain_protocol.catalogue import AssetOut
from terrain_protocol.orders import CreateOrderResponse, OrderOut

CART_KEY = Key[str | None]("cart", None, str, lambda v: v)

#: Is the work to stop? / Report progress (both from the background op's context).
Cancelled = Callable[[], bool]
Report = Callable[[object], None]


@dataclass(frozen=True)
class PricedBill:
    """A bill of materials and the server's offers it was made from."""

    bill: BillOfMaterials
    offers: dict[str, AssetOffer]


class NotSignedIn(Exception):
    """Orders belong to an account: sign in first."""


class EmptyCart(Exception):
    """Nothing to check out."""


class Shop:
    def __init__(self, sync: SyncOperation, catalogue: Catalogue, cache: Path) -> None:
        self.sync = sync
        self.catalogue = catalogue
        self.cache = cache
        self.cart = Cart.from_json(sync.preferences.get(CART_KEY) or "[]")
        self.cart.changed.connect(self._save_cart)
        #: The server's offers (price, artist) seen lately, by asset id.
        self.offers: dict[str, AssetOffer] = {}
        #: New prices arrived (the cart's totals change).
        self.offers_changed: Signal[None] = Signal()
        #: Seconds between polls of a pending order: first, growth, ceiling.
        self.polling = (
            orders_client.FIRST_POLL,
            orders_client.POLL_GROWTH,
            orders_client.LONGEST_POLL,
        )

    def _save_cart(self, _: None) -> None:
        self.sync.preferences.set(CART_KEY, self.cart.to_json() if len(self.cart) else None)

    def _client(self, *, account: bool) -> ApiClient:
        url, token = self.sync.credentials()
        if account and token is None:
            raise NotSignedIn("Sign in to buy pieces: orders belong to an account.")
        return ApiClient(url, token=token, timeout=20, retries=2)

    def name(self, asset_id: str) -> str:
        offer = self.offers.get(asset_id)
        local = self.catalogue.get(asset_id)
        return offer.name if offer else local.name if local else "Unknown asset"

    # -- bill of materials ---------------------------------------------------------------------

    def bill_work(self, asset_ids: Iterable[str]) -> Callable[[], "PricedBill"]:
        """The bill of materials of pieces using these assets (one id per piece): prices from
        the server; owned from the account's orders and uploads (signed out: only imports).
        Then `apply_bill`."""
        ids = list(asset_ids)
        imported = set(self.catalogue.imported)
        signed_in = self.sync.credentials()[1] is not None
        local = self.catalogue.get

        def local_name(asset_id: str) -> str | None:
            asset = local(asset_id)
            return asset.name if asset else None

        def work() -> PricedBill:
            with closing(self._client(account=signed_in)) as client:
                offers = orders_client.asset_offers(client, (i for i in ids if i not in imported))
                owned = (
                    orders_client.ownership(client, imported)
                    if signed_in
                    else Ownership(imported=frozenset(imported))
                )
            return PricedBill(bill_of_materials(ids, offers, owned, local_name), offers)

        return work

    def apply_bill(self, priced: "PricedBill") -> BillOfMaterials:
        self._remember(priced.offers)
        return priced.bill

    def add_missing(self, bom: BillOfMaterials) -> list[str]:
        """One click: exactly the pieces still to buy go into the cart."""
        return self.cart.add_missing(bom)

    def _remember(self, offers: dict[str, AssetOffer]) -> None:
        self.offers.update(offers)
        self.offers_changed.emit(None)

    # -- the cart ------------------------------------------------------------------------------

    def prices_work(self, asset_ids: Iterable[str]) -> Callable[[], dict[str, AssetOffer]]:
        """The server's current prices of these assets; then `apply_prices`."""
        ids = list(asset_ids)

        def work() -> dict[str, AssetOffer]:
            with closing(self._client(account=False)) as client:
                return orders_client.asset_offers(client, ids)

        return work

    def apply_prices(self, offers: dict[str, AssetOffer]) -> None:
        self._remember(offers)

    def add_from_catalogue(self, asset: AssetOut) -> bool:
        """An asset seen in the catalogue browser goes into the cart (one more of it), with
        the price the browser showed until the server prices the order; a free one needs no
        order and stays out (False)."""
        self._remember({str(asset.id): orders_client.offer_of(asset)})
        if self.is_free(str(asset.id)):
            return False
        self.cart.add(str(asset.id))
        return True

    def is_free(self, asset_id: str) -> bool:
        """Known to cost nothing (the server sells no free asset: it needs no order)."""
        offer = self.offers.get(asset_id)
        return offer is not None and offer.price == 0

    def subtotal(self) -> Decimal | None:
        """The cart's subtotal at the server's prices (None while a price is unknown)."""
        total = Decimal("0.00")
        for line in self.cart.lines():
            offer = self.offers.get(line.asset_id)
            if offer is None:
                return None
            total += offer.price * line.quantity
        return total

    def thumbnail_work(self, asset_id: str) -> Callable[[], Path | None]:
        """A picture of the asset: the local one when this device has it, else the server's
        (cached under the app's data directory)."""
        local = self.catalogue.get(asset_id)
        target = self.cache / f"{asset_id}.png"

        def work() -> Path | None:
            if local is not None:
                return local.thumbnail_path
            with closing(self._client(account=False)) as client:
                return orders_client.fetch_thumbnail(client, asset_id, target)

        return work

    # -- checkout and orders -------------------------------------------------------------------

    def checkout_work(self) -> Callable[[], CreateOrderResponse]:
        """Create the order from the cart; open its `checkout_url`, then follow it."""
        lines = [line for line in self.cart.lines() if not self.is_free(line.asset_id)]
        if not lines:
            raise EmptyCart(
                "Nothing in the cart costs anything: free pieces need no order."
                if len(self.cart)
                else "The cart is empty."
            )
        client = self._client(account=True)
        key = orders_client.new_action_key()  # this click's: its retries make no second order

        def work() -> CreateOrderResponse:
            with closing(client):
                return orders_client.create_order(client, lines, key)

        return work

    def follow_work(self, order_id: uuid.UUID) -> Callable[[Cancelled, Report], OrderOut]:
        """Poll the order with backoff until it is paid, cancelled or beyond."""
        client = self._client(account=True)
        first, growth, longest = self.polling

        def work(cancelled: Cancelled, report: Report) -> OrderOut:
            with closing(client):
                return orders_client.follow_order(
                    client,
                    order_id,
                    cancelled=cancelled,
                    on_poll=lambda order, wait: report((order, wait)),
                    first=first,
                    growth=growth,
                    longest=longest,
                )

        return work

    def settle(self, order: OrderOut) -> str:
        """Take a settled order in: what it bought leaves the cart. The outcome, in words."""
        money = f"{order.total:.2f} {order.currency.upper()}"
        if order.status == "cancelled":
            return (
                f"Order {order.order_number} was not paid: the checkout expired or was "
                "cancelled. Your cart is as it was."
            )
        if order.status == "pending":
            return f"Order {order.order_number} is waiting for payment ({money})."
        for line in order.lines:
            asset_id = str(line.asset_id)
            self.cart.set_quantity(asset_id, self.cart.quantity(asset_id) - line.quantity)
        return f"Order {order.order_number} is paid ({money}). Its files are in My orders."

    def orders_work(self) -> Callable[[], list[OrderOut]]:
        client = self._client(account=True)

        def work() -> list[OrderOut]:
            with closing(client):
                return orders_client.list_orders(client)

        return work

    def download_work(
        self, order: OrderOut, folder: Path
    ) -> Callable[[Cancelled, Report], list[Path]]:
        """Save a paid order's files into `folder`, reporting (bytes, total)."""
        client = self._client(account=True)

        def work(cancelled: Cancelled, report: Report) -> list[Path]:
            with closing(client):
                return orders_client.download_files(
                    client,
                    order,
                    folder,
                    on_progress=lambda done, total: report((done, total)),
                    cancelled=cancelled,
                )

        return work
