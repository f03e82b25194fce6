"""What a user owns: models bought in paid orders, and their own uploads.

The desktop's bill of materials marks these pieces *owned* so a cart holds only the rest.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Asset, Order, OrderItem, User
from terrain_protocol.orders import PAID_ORDER_STATUSES, OwnedAssets


def owned_assets(db: Session, user: User) -> OwnedAssets:
    purchased = db.scalars(
        select(OrderItem.asset_id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(Order.user_id == user.id, Order.status.in_(sorted(PAID_ORDER_STATUSES)))
        .distinct()
        .order_by(OrderItem.asset_id)
    ).all()
    uploaded = db.scalars(
        select(Asset.id).where(Asset.artist_id == user.id).order_by(Asset.id)
    ).all()
    return OwnedAssets(purchased=list(purchased), uploaded=list(uploaded))
