"""`/api/orders`: a buyer's orders, what they own, and the files of paid orders."""

import uuid

from fastapi import APIRouter
from fastapi.responses import FileResponse

from server.api.deps import (
    ClockDep,
    CurrentUser,
    IdempotencyDep,
    PaymentsDep,
    SessionDep,
    StorageDep,
)
from server.api.order_views import orders_out
from server.api.responses import errors
from server.services import idempotency, order_files, orders, ownership
from terrain_protocol.orders import (
    CreateOrderRequest,
    CreateOrderResponse,
    OrderList,
    OrderResponse,
    OwnedAssets,
)

router = APIRouter(prefix="/api/orders", tags=["orders"])


@router.post("", status_code=201, responses=errors(401, 404, 409, 422, 502))
def create_order(
    settings: PaymentsDep,
    db: SessionDep,
    user: CurrentUser,
    clock: ClockDep,
    body: CreateOrderRequest,
    key: IdempotencyDep,
) -> CreateOrderResponse:
    """Price every line from the catalogue and open a Stripe Checkout Session for it.

    With an `Idempotency-Key`, a retry of the same request answers with the same order."""

    def create() -> CreateOrderResponse:
        return orders.created(orders.create(db, user, body, settings, clock.now()))

    return idempotency.once(db, key, CreateOrderResponse, create)


@router.get("", responses=errors(401))
def list_orders(db: SessionDep, user: CurrentUser) -> OrderList:
    return OrderList(orders=orders_out(db, orders.list_for_buyer(db, user)))


@router.get("/owned-assets", responses=errors(401))
def owned_assets(db: SessionDep, user: CurrentUser) -> OwnedAssets:
    """Assets the caller bought in paid orders, and their own uploads."""
    return ownership.owned_assets(db, user)


@router.get("/{order_id}", responses=errors(401, 404))
def get_order(db: SessionDep, user: CurrentUser, order_id: uuid.UUID) -> OrderResponse:
    return OrderResponse(order=orders_out(db, [orders.for_buyer(db, user, order_id)])[0])


@router.get(
    "/{order_id}/files/{asset_id}", response_class=FileResponse, responses=errors(401, 404, 409)
)
def download_file(
    db: SessionDep,
    user: CurrentUser,
    storage: StorageDep,
    order_id: uuid.UUID,
    asset_id: uuid.UUID,
) -> FileResponse:
    """The original file of one of a paid order's models (counts a download)."""
    path, filename = order_files.download(db, storage, user, order_id, asset_id)
    db.commit()
    return FileResponse(path, media_type="application/octet-stream", filename=filename)
