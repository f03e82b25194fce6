"""Buying over HTTP: asset prices, what the user owns, orders, following an order until it
settles, and downloading a paid order's files. Blocking calls: the window runs them off the
GUI thread.

The client never sends a price: an order is asset ids and quantities, and the server prices
every line from its catalogue.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from terrain_desktop.domain.bill_of_materials import AssetOffer, Ownership
from terrain_desktop.domain.cart import CartLine
from terrain_desktop.sync.client import ApiClient, ApiRefused
from terrain_protocol import orders as wire
from terrain_protocol.catalogue import AssetOut, AssetResponse

if TYPE_CHECKING:  # imported where a request is made (~0.1 s off every start-up)
    import httpx

#: Seconds between polls of a pending order: the first wait, the growth, and the ceiling.
FIRST_POLL = 1.0
POLL_GROWTH = 1.5
LONGEST_POLL = 15.0


class StoppedFollowing(Exception):
    """The caller asked to stop (the order itself stays as it is on the server)."""


class StillPending(Exception):
    """The order had not settled when the caller's patience ran out."""


class DownloadCancelled(Exception):
    """The user cancelled a download; its partial file was removed."""


def asset_offers(client: ApiClient, asset_ids: Iterable[str]) -> dict[str, AssetOffer]:
    """What the catalogue sells of these assets, by id; an asset the server does not show
    this user (unknown, private, a local import) is simply absent."""
    offers = {}
    for asset_id in dict.fromkeys(asset_ids):
        try:
            uuid.UUID(asset_id)
            asset = client.call("GET", f"/api/library/assets/{asset_id}", None, AssetResponse).asset
        except ValueError:
            continue  # not a catalogue id at all
        except ApiRefused as refusal:
            if refusal.status in (403, 404, 422):
                continue
            raise
        offers[asset_id] = offer_of(asset)
    return offers


def offer_of(asset: AssetOut) -> AssetOffer:
    """What a catalogue answer says about buying the asset."""
    return AssetOffer(
        asset_id=str(asset.id),
        name=asset.name,
        price=asset.base_price,
        artist_id=str(asset.artist_id),
        artist_name=asset.artist_name,
        thumbnail_url=asset.thumbnail_url,
    )


def ownership(client: ApiClient, imported: Iterable[str] = ()) -> Ownership:
    """What the signed-in user owns on the server, plus the models imported on this device."""
    owned = client.call("GET", "/api/orders/owned-assets", None, wire.OwnedAssets)
    return Ownership(
        purchased=frozenset(str(i) for i in owned.purchased),
        uploaded=frozenset(str(i) for i in owned.uploaded),
        imported=frozenset(imported),
    )


def new_action_key() -> str:
    """The `Idempotency-Key` of one user action (a Check out click): all its tries send it."""
    return str(uuid.uuid4())


def create_order(
    client: ApiClient, lines: Iterable[CartLine], idempotency_key: str | None = None
) -> wire.CreateOrderResponse:
    """One order for these lines. Its tries all carry one `Idempotency-Key` (the caller's,
    one per click, or a new one), so a retry after a lost answer gets the same order."""
    request = wire.CreateOrderRequest(
        items=[
            wire.OrderLineRequest(asset_id=uuid.UUID(line.asset_id), quantity=line.quantity)
            for line in lines
        ]
    )
    key = idempotency_key or new_action_key()
    return client.call(
        "POST", "/api/orders", request, wire.CreateOrderResponse, idempotency_key=key
    )


def get_order(client: ApiClient, order_id: uuid.UUID) -> wire.OrderOut:
    return client.call("GET", f"/api/orders/{order_id}", None, wire.OrderResponse).order


def list_orders(client: ApiClient) -> list[wire.OrderOut]:
    return client.call("GET", "/api/orders", None, wire.OrderList).orders


def settled(order: wire.OrderOut) -> bool:
    """Paid, or cancelled (the checkout expired or failed), or beyond: no more waiting."""
    return order.status != "pending"


def follow_order(
    client: ApiClient,
    order_id: uuid.UUID,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    on_poll: Callable[[wire.OrderOut, float], None] | None = None,
    first: float = FIRST_POLL,
    growth: float = POLL_GROWTH,
    longest: float = LONGEST_POLL,
    timeout: float = 3600.0,
) -> wire.OrderOut:
    """Poll the order, waiting longer each time (up to `longest`), until it is no longer
    pending. `on_poll` sees each reading and the wait before the next. The payment happens in
    the browser at the buyer's pace, so patience is long; `cancelled` stops early."""
    deadline = time.monotonic() + timeout
    interval = first
    while True:
        order = get_order(client, order_id)
        if settled(order):
            return order
        if on_poll is not None:
            on_poll(order, interval)
        wake = min(time.monotonic() + interval, deadline)
        while time.monotonic() < wake:
            if cancelled():
                raise StoppedFollowing(f"stopped following order {order.order_number}")
            time.sleep(min(0.1, max(wake - time.monotonic(), 0)))
        if time.monotonic() >= deadline:
            raise StillPending(f"order {order.order_number} is still waiting for payment")
        interval = min(interval * growth, longest)


def download_files(
    client: ApiClient,
    order: wire.OrderOut,
    folder: Path,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Path]:
    """Save a paid order's original files into `folder`; progress is (bytes, total bytes of
    the files seen so far, as the server announces them). A cancel removes the partial file;
    the files already complete stay."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    done = 0
    expected = 0
    for item in order.files:
        target = folder / Path(item.filename).name
        partial = target.with_name(target.name + ".part")
        with client.http.stream(
            "GET", item.download_url, headers=client.auth_headers(), timeout=60.0
        ) as response:
            if response.status_code >= 400:
                response.read()
                body = _error_body(response)
                raise ApiRefused(response.status_code, body[0], body[1])
            expected += int(response.headers.get("content-length", 0))
            try:
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes(64 * 1024):
                        if cancelled():
                            raise DownloadCancelled(f"stopped downloading {item.filename}")
                        out.write(chunk)
                        done += len(chunk)
                        if on_progress is not None:
                            on_progress(done, max(expected, done))
                    if cancelled():  # asked during the last chunk: keep nothing of this file
                        raise DownloadCancelled(f"stopped downloading {item.filename}")
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        partial.replace(target)
        saved.append(target)
    return saved


def fetch_thumbnail(client: ApiClient, asset_id: str, target: Path) -> Path | None:
    """The catalogue's thumbnail of an asset, cached at `target` (None when there is none)."""
    if target.exists():
        return target
    response = client.http.get(
        f"/api/library/assets/{asset_id}/thumbnail", headers=client.auth_headers()
    )
    if response.status_code != 200:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(response.content)
    return target


def _error_body(response: "httpx.Response") -> tuple[str, str]:
    try:
        body = response.json()
        return str(body.get("code")), str(body.get("error"))
    except ValueError:
        return "unknown", response.text[:200]
