"""Checkout on a computer whose browser did not show the payment page: the window shows the
link to copy and Open again, and still follows the order until it is paid (the real window,
server and Stripe stand-in)."""

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, Qt
from tests.integration.conftest import LiveServer
from tests.integration.test_buying import (  # noqa: F401 (fixtures)
    UrlCatcher,
    browser,
    build_table,
    catalogue,
    open_bill,
    pay,
    settings,
    signed_in_window,
    standin,
)
from tests.stripe_standin import StripeStandin


def test_the_payment_link_can_be_copied_and_opened_again(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,  # noqa: F811
    catalogue: dict[str, str],  # noqa: F811
    browser: UrlCatcher,  # noqa: F811
) -> None:
    window = signed_in_window(qtbot, open_window, live)
    window.shop.shop.polling = (0.2, 1.5, 1.0)
    build_table(window, {"ruined-wall": 1})
    dialog = open_bill(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.close()
    panel = window.shop.cart_panel
    qtbot.waitUntil(lambda: "at the server's prices" in panel.total.text(), timeout=30_000)

    qtbot.mouseClick(panel.checkout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.pay_link is not None, timeout=30_000)
    link = panel.pay_link
    assert link is not None and link.isVisible()
    url = browser.urls[0]
    assert link.link.text() == url and url.startswith("https://checkout.stripe.test/")
    qtbot.mouseClick(link.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == url
    qtbot.mouseClick(link.open_button, Qt.MouseButton.LeftButton)
    assert browser.urls == [url, url]  # opened again

    pay(live, standin, url)  # paid from wherever the link was pasted
    qtbot.waitUntil(lambda: "Its files are in My orders" in panel.outcome.text(), timeout=30_000)
    assert not link.isVisible()  # done with: it closes
