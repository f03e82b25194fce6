"""What a job handler is given: settings, database sessions and storage, nothing per request."""

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from server.settings import Settings
from server.storage import Storage


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    sessionmaker: sessionmaker[Session]
    storage: Storage
