"""Every table of the server's database. Importing this package registers them all."""

from server.db.base import Base
from server.db.models.accounts import AnonymousSession, AuthToken, User
from server.db.models.catalogue import Asset, AssetSet, Favorite, MeshTier, SetAsset
from server.db.models.commerce import Order, OrderItem, Payment, PaymentCase, WebhookEvent
from server.db.models.idempotency import IdempotencyKey
from server.db.models.legacy import LegacyImport
from server.db.models.operations import ActivityLog, Job
from server.db.models.sync import SyncClient, SyncOwner, SyncRejection, SyncTombstone
from server.db.models.tables import (
    AssetDailyUse,
    GameTable,
    RecentAssetUsage,
    TableAsset,
    TableSet,
)

__all__ = [
    "ActivityLog",
    "AnonymousSession",
    "Asset",
    "AssetDailyUse",
    "AssetSet",
    "AuthToken",
    "Base",
    "Favorite",
    "GameTable",
    "IdempotencyKey",
    "Job",
    "LegacyImport",
    "MeshTier",
    "Order",
    "OrderItem",
    "Payment",
    "PaymentCase",
    "RecentAssetUsage",
    "SetAsset",
    "SyncClient",
    "SyncOwner",
    "SyncRejection",
    "SyncTombstone",
    "TableAsset",
    "TableSet",
    "User",
    "WebhookEvent",
]
