"""What every step of an import shares: the target session, the report, settings and sources."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from server.legacy.report import Report
from server.legacy.source import LegacyDatabase, UploadDirectory
from server.settings import Settings
from server.storage import Storage


@dataclass
class Context:
    db: Session
    #: Opens a separate session, for work that commits on its own (model file processing).
    sessions: Callable[[], Session]
    legacy: LegacyDatabase
    uploads: UploadDirectory
    storage: Storage
    settings: Settings
    report: Report
    now: datetime
    dry_run: bool
    #: Legacy user id -> the e-mail it is imported with (decided once, before any batch).
    emails: dict[str, str] = field(default_factory=dict)
    #: Legacy user id -> its row in the legacy `artists` table, when it has one.
    artist_rows: dict[str, dict[str, object]] = field(default_factory=dict)
    #: Legacy user ids that own models (they become artists).
    model_owners: set[str] = field(default_factory=set)
    #: Share code -> the legacy table that keeps it (the oldest of those that used it).
    share_codes: dict[str, str] = field(default_factory=dict)
    #: Stripe account -> the imported user that holds it (a Stripe account has one owner).
    stripe_accounts: dict[str, uuid.UUID] = field(default_factory=dict)
