"""Buying a table's pieces from the desktop window, against the real server on loopback, the
real PostgreSQL and the real `stripe` library talking to the local Stripe stand-in.

The catalogue holds sample-library assets (the ids the desktop places) published by two
artists with their original files; the buyer signs in through the window's dialog.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from server.db.models import User
from server.settings import Settings
from server.storage_factory import storage_for
from terrain_desktop.domain.cart import CartLine
from terrain_desktop.domain.catalogue import bundled_library, sample_asset_id
from terrain_desktop.sync import orders_client
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.ui.bill_of_materials import BillOfMaterialsDialog
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import (
    QDesktopServices,
    QDialogButtonBox,
    QObject,
    Qt,
    QUrl,
    QWidget,
    Slot,
)
from tests.desktop.ui.conftest import answer_next_dialog
from tests.integration.conftest import LiveServer
from tests.server.factories import make_artist, make_asset
from tests.stripe_standin import StripeStandin, deliver_event

WEBHOOK_SECRET = "whsec_desktop_journey"

#: slug → (artist, price): two artists, each with a priced piece and one more.
CATALOGUE = {
    "ruined-wall": ("forge", "2.50"),
    "ruined-tower": ("forge", "6.00"),
    "rolling-hill": ("wilds", "3.50"),
    "pine-tree": ("wilds", "0.00"),
}


@pytest.fixture
def standin() -> Iterator[StripeStandin]:
    with StripeStandin.running() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, standin: StripeStandin) -> Settings:
    return settings.model_copy(
        update={
            "stripe_api_base": standin.url,
            "stripe_secret_key": standin.api_key,
            "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_timeout_seconds": 5.0,
        }
    )


@pytest.fixture
def catalogue(db: Session, settings: Settings) -> dict[str, str]:
    """The four sample assets on the server, with their files; slug → asset id."""
    storage = storage_for(settings)
    artists: dict[str, User] = {k: make_artist(db, k.title()) for k in ("forge", "wilds")}
    by_slug = {}
    for slug, (artist, price) in CATALOGUE.items():
        local = bundled_library()[sample_asset_id(slug)]
        asset = make_asset(db, artists[artist], local.name, price=price)
        asset.id = uuid.UUID(local.id)
        key = f"originals/{local.mesh_path.name}"
        storage.put_file(key, local.mesh_path)
        asset.file_ref, asset.original_filename = key, local.mesh_path.name
        db.commit()
        by_slug[slug] = local.id
    return by_slug


class UrlCatcher(QObject):
    """Stands where the system browser would: Qt hands it the URLs the app opens."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def browser() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def signed_in_window(
    qtbot: QtBot, open_window: Callable[[], MainWindow], live: LiveServer
) -> MainWindow:
    """The app, signed in to a new account through its sign-in dialog."""
    from terrain_desktop.ui.sign_in_dialog import SignInDialog

    window = open_window()
    window.store.set_meta("server_url", live.url)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.email.setText(f"buyer-{uuid.uuid4().hex[:8]}@example.com")
        dialog.password.setText("a long enough password")
        dialog.register.setChecked(True)
        dialog.confirm.setText("a long enough password")  # typed twice for a new account
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.sign_in_action.trigger()
    qtbot.waitUntil(lambda: window.signed_in_user() is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.sync_action.isEnabled(), timeout=30_000)
    return window


def build_table(window: MainWindow, pieces: dict[str, int]) -> None:
    """A new table holding so many pieces of each sample asset, placed as a user would."""
    window.editor.create_table("Skirmish", 1200, 900)
    assert window.doc is not None and window.doc.table.name == "Skirmish"
    x = 100.0
    for slug, count in pieces.items():
        asset = bundled_library()[sample_asset_id(slug)]
        for _ in range(count):
            window.editor.place(asset, x, 450.0)
            x += 80.0


def pay(live: LiveServer, standin: StripeStandin, checkout_url: str) -> None:
    """The buyer pays on the Checkout page; Stripe then tells the server, signed."""
    session_id = checkout_url.rstrip("/").rsplit("/", 1)[-1]
    event = standin.complete_checkout(session_id)
    delivered = deliver_event(live.url, event, WEBHOOK_SECRET)
    assert delivered.status_code == 200, delivered.text


def open_bill(qtbot: QtBot, window: MainWindow) -> BillOfMaterialsDialog:
    window.shop.buy_table_action.trigger()
    dialog = window.shop.bill_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.bill is not None, timeout=30_000)
    return dialog


def test_the_bill_of_materials_marks_owned_free_and_to_buy_and_fills_the_cart(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,
    catalogue: dict[str, str],
) -> None:
    window = signed_in_window(qtbot, open_window, live)
    # Bought before: the tower, in an earlier paid order of this account.
    token = window.sync.credentials()[1]
    made = httpx.post(
        f"{live.url}/api/orders",
        json={"items": [{"asset_id": catalogue["ruined-tower"], "quantity": 1}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    pay(live, standin, made.json()["checkout_url"])
    build_table(window, {"ruined-wall": 2, "ruined-tower": 1, "rolling-hill": 1, "pine-tree": 3})

    dialog = open_bill(qtbot, window)

    marks = {slug: dialog.table.mark_of(asset_id) for slug, asset_id in catalogue.items()}
    assert marks == {
        "ruined-wall": "to buy",
        "ruined-tower": "owned",
        "rolling-hill": "to buy",
        "pine-tree": "free",
    }
    assert dialog.summary.text() == (
        "3 piece(s) of 2 asset(s) to buy, $8.50 before shipping and tax."  # 2 × 2.50 + 3.50
    )
    tower = catalogue["ruined-tower"]
    size = dialog.table.cell_of(tower, "Size")
    assert size is not None and size.endswith(" mm"), size  # as the units setting says
    assert dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    cart = window.shop.shop.cart
    assert {line.asset_id: line.quantity for line in cart.lines()} == {
        catalogue["ruined-wall"]: 2,
        catalogue["rolling-hill"]: 1,
    }
    assert window.shop.cart_dock.isVisible()
    panel = window.shop.cart_panel
    qtbot.waitUntil(lambda: "$8.50 at the server's prices" in panel.total.text(), timeout=30_000)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # a second click adds nothing
    assert cart.pieces == 3

    window.inch_action.trigger()  # View ▸ Show inches: the next bill gives sizes in inches
    inches = open_bill(qtbot, window).table.cell_of(tower, "Size")
    assert inches is not None and inches.endswith(" in"), inches


def test_checkout_from_a_table_until_the_window_shows_the_order_paid(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,
    catalogue: dict[str, str],
    browser: UrlCatcher,
    tmp_path: Path,
) -> None:
    window = signed_in_window(qtbot, open_window, live)
    window.shop.shop.polling = (0.2, 1.5, 1.0)  # a quicker pace than a person needs
    build_table(window, {"ruined-wall": 1, "rolling-hill": 2, "pine-tree": 1})
    dialog = open_bill(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.close()
    panel = window.shop.cart_panel
    qtbot.waitUntil(lambda: "9.50 at the server's prices" in panel.total.text(), timeout=30_000)

    qtbot.mouseClick(panel.checkout_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=30_000)
    assert browser.urls[0].startswith("https://checkout.stripe.test/")
    qtbot.waitUntil(lambda: "Waiting for the payment" in panel.outcome.text(), timeout=30_000)
    assert panel.stop_button.isVisible() and not panel.checkout_button.isEnabled()
    number = re.search(r"order (\S+) \(", panel.outcome.text())
    assert number is not None

    pay(live, standin, browser.urls[0])

    qtbot.waitUntil(lambda: "is paid" in panel.outcome.text(), timeout=30_000)
    assert f"Order {number.group(1)} is paid" in panel.outcome.text()
    paid = panel.order
    assert paid is not None and paid.status == "paid" and paid.subtotal == Decimal("9.50")
    assert f"{paid.total:.2f} USD" in panel.outcome.text()  # the server's total, tax and all
    assert len(window.shop.shop.cart) == 0  # what was bought left the cart
    assert not panel.stop_button.isVisible()

    # My orders: the paid order's files download, with progress, into the chosen folder.
    window.shop.orders_action.trigger()
    orders = window.shop.orders_dialog
    assert orders is not None
    qtbot.waitUntil(lambda: len(orders.orders) == 1, timeout=30_000)
    assert orders.table.item(0, 2).text() == "paid"  # type: ignore[union-attr]
    orders.select(number.group(1))
    assert orders.download_button.isEnabled()
    orders.folder.setText(str(tmp_path / "files"))
    steps: list[int] = []
    orders.progress.valueChanged.connect(steps.append)
    qtbot.mouseClick(orders.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: orders.status.text().startswith("Saved"), timeout=30_000)
    folder = tmp_path / "files" / number.group(1)
    meshes = {slug: bundled_library()[catalogue[slug]].mesh_path for slug in CATALOGUE}
    bought = [meshes["ruined-wall"], meshes["rolling-hill"]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(m.name for m in bought)
    for mesh in bought:
        assert (folder / mesh.name).read_bytes() == mesh.read_bytes()
    assert steps and steps[-1] > 0


def test_an_expired_checkout_says_so_and_keeps_the_cart(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,
    catalogue: dict[str, str],
    browser: UrlCatcher,
) -> None:
    window = signed_in_window(qtbot, open_window, live)
    window.shop.shop.polling = (0.2, 1.5, 1.0)
    build_table(window, {"ruined-tower": 1})
    dialog = open_bill(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    panel = window.shop.cart_panel
    qtbot.mouseClick(panel.checkout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Waiting for the payment" in panel.outcome.text(), timeout=30_000)

    session_id = browser.urls[0].rsplit("/", 1)[-1]
    expired = deliver_event(live.url, standin.expire_checkout(session_id), WEBHOOK_SECRET)
    assert expired.status_code == 200, expired.text

    qtbot.waitUntil(lambda: "was not paid" in panel.outcome.text(), timeout=30_000)
    assert "expired" in panel.outcome.text()
    assert window.shop.shop.cart.quantity(catalogue["ruined-tower"]) == 1  # try again later
    assert panel.checkout_button.isEnabled() and not panel.stop_button.isVisible()


def test_a_cancelled_download_leaves_no_partial_file(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,
    catalogue: dict[str, str],
    tmp_path: Path,
) -> None:
    window = signed_in_window(qtbot, open_window, live)
    token = window.sync.credentials()[1]
    client = ApiClient(live.url, token=token)
    made = orders_client.create_order(client, [CartLine(catalogue["ruined-wall"], 1)])
    pay(live, standin, made.checkout_url)
    order = orders_client.get_order(client, made.order_id)
    assert order.status == "paid" and len(order.files) == 1
    chunks: list[int] = []
    folder = tmp_path / "files"

    def cancel_after_first_chunk() -> bool:
        return bool(chunks)

    with pytest.raises(orders_client.DownloadCancelled):
        orders_client.download_files(
            client,
            order,
            folder,
            on_progress=lambda done, _: chunks.append(done),
            cancelled=cancel_after_first_chunk,
        )
    assert chunks and list(folder.iterdir()) == []
    saved = orders_client.download_files(client, order, folder)
    assert [p.name for p in saved] == [p.name for p in folder.iterdir()]
    client.close()


def test_the_catalogue_browser_adds_to_the_cart_at_the_server_price(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    catalogue: dict[str, str],
) -> None:
    window = open_window()
    window.store.set_meta("server_url", live.url)
    window.actions_.catalogue.trigger()
    browser = window.catalogue_window.browser  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: browser.item_named("Ruined wall") is not None, timeout=30_000)
    item = browser.item_named("Ruined wall")
    assert item is not None
    rect = browser.list.visualItemRect(item)
    qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = window.catalogue_window.detail  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: detail.title.text() == "Ruined wall", timeout=30_000)
    assert detail.cart_button.isVisibleTo(detail)

    qtbot.mouseClick(detail.cart_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(detail.cart_button, Qt.MouseButton.LeftButton)

    assert window.shop.shop.cart.quantity(catalogue["ruined-wall"]) == 2
    panel = window.shop.cart_panel
    assert "2 piece(s): $5.00 at the server's prices" in panel.total.text()
    assert "Added Ruined wall to the cart" in window.statusBar().currentMessage()

    # A free asset needs no order: it stays out of the cart, and the window says why.
    pine = browser.item_named("Pine tree")
    assert pine is not None
    rect = browser.list.visualItemRect(pine)
    qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: detail.title.text() == "Pine tree", timeout=30_000)
    qtbot.mouseClick(detail.cart_button, Qt.MouseButton.LeftButton)
    assert "Pine tree is free" in window.statusBar().currentMessage()
    assert len(window.shop.shop.cart) == 1


def test_a_shared_table_says_what_its_pieces_would_cost_before_it_is_cloned(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    catalogue: dict[str, str],
) -> None:
    from tests.integration.online_app import type_into_input

    owner = httpx.post(
        f"{live.url}/api/auth/register",
        json={"email": "owner@example.com", "password": "a long enough password"},
    ).json()
    slugs = ["ruined-wall", "ruined-wall", "pine-tree", "rolling-hill"]
    models = [
        {"id": f"p{i}", "modelId": catalogue[slug], "x": 100 + 90 * i, "y": 300}
        for i, slug in enumerate(slugs)
    ]
    made = httpx.post(
        f"{live.url}/api/tables",
        json={"name": "Borderlands", "layout": {"models": models}},
        headers={"Authorization": f"Bearer {owner['token']}"},
    )
    assert made.status_code == 201, made.text
    code = made.json()["table"]["share_code"]
    window = open_window()  # not signed in: nothing owned
    window.store.set_meta("server_url", live.url)

    answer_next_dialog(qtbot, type_into_input(qtbot, code))
    window.online.open_code_action.trigger()

    qtbot.waitUntil(lambda: window.shop.shared_costs is not None, timeout=30_000)
    costs = window.shop.shared_costs
    assert costs is not None
    qtbot.waitUntil(lambda: costs.bill is not None, timeout=30_000)
    assert costs.summary.text() == "3 piece(s) of 2 asset(s) to buy, $8.50 before shipping and tax."
    qtbot.mouseClick(costs.button, Qt.MouseButton.LeftButton)
    dialog = window.shop.bill_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.bill is not None, timeout=30_000)
    assert dialog.table.mark_of(catalogue["pine-tree"]) == "free"
    assert dialog.table.mark_of(catalogue["ruined-wall"]) == "to buy"
    assert "Borderlands" in dialog.windowTitle()
