"""One Check out click makes one order even when its answer is lost on the way back.

The real window, signed in, checks out through a proxy that closes the connection after
the real server answered the first `POST /api/orders`; the click's retry carries the same
`Idempotency-Key`, so the server answers with the order it made, and the window opens that
order's Checkout page.
"""

import copy
from collections.abc import Callable

import httpx
from pytestqt.qtbot import QtBot

from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import Qt
from tests.integration.conftest import LiveServer
from tests.integration.dropping_proxy import DroppingProxy
from tests.integration.test_buying import (  # noqa: F401 (fixtures: the shop's world)
    UrlCatcher,
    browser,
    build_table,
    catalogue,
    open_bill,
    settings,
    signed_in_window,
    standin,
)
from tests.stripe_standin import StripeStandin


def test_a_check_out_whose_answer_is_lost_makes_one_order(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    live: LiveServer,
    standin: StripeStandin,  # noqa: F811
    catalogue: dict[str, str],  # noqa: F811
    browser: UrlCatcher,  # noqa: F811
) -> None:
    lost = ("POST", "/api/orders")
    with DroppingProxy.running(live.port, {lost}) as proxy:
        behind_proxy = copy.copy(live)
        behind_proxy.url = proxy.url  # the window knows the server only through the proxy
        window = signed_in_window(qtbot, open_window, behind_proxy)
        build_table(window, {"ruined-wall": 2})
        dialog = open_bill(qtbot, window)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        dialog.close()
        panel = window.shop.cart_panel

        qtbot.mouseClick(panel.checkout_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: "Waiting for the payment" in panel.outcome.text(), timeout=30_000)
        token = window.sync.credentials()[1]

    assert proxy.dropped == [lost]  # the first answer never reached the window
    orders = httpx.get(
        f"{live.url}/api/orders", headers={"Authorization": f"Bearer {token}"}
    ).json()["orders"]
    assert len(orders) == 1 and orders[0]["status"] == "pending"
    assert browser.urls == [orders[0]["checkout_url"]]
    assert orders[0]["order_number"] in panel.outcome.text()
    assert len(standin.sessions()) == 1
