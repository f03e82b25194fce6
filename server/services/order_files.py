"""A paid order's buyer downloads the original files of its models."""

import uuid
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.db.models import Asset, OrderItem, User
from server.errors import ApiError
from server.services import orders
from server.storage import Storage
from terrain_protocol.errors import ErrorCode
from terrain_protocol.orders import PAID_ORDER_STATUSES


def download(
    db: Session, storage: Storage, user: User, order_id: uuid.UUID, asset_id: uuid.UUID
) -> tuple[Path, str]:
    """The file's local path and name; counts one download on the asset."""
    order = orders.for_buyer(db, user, order_id)
    item = db.scalar(
        select(OrderItem).where(OrderItem.order_id == order.id, OrderItem.asset_id == asset_id)
    )
    if item is None:
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "This order has no such model.")
    if order.status not in PAID_ORDER_STATUSES:
        raise ApiError(409, ErrorCode.ORDER_NOT_PAID, "The order is not paid; files come after.")
    asset = db.get(Asset, asset_id)
    if asset is None or not asset.file_ref or not storage.exists(asset.file_ref):
        raise ApiError(404, ErrorCode.FILE_NOT_FOUND, "The model's file is not available.")
    db.execute(
        update(Asset).where(Asset.id == asset.id).values(download_count=Asset.download_count + 1)
    )
    db.flush()
    return storage.local_path(asset.file_ref), asset.original_filename or f"{asset.id}"
