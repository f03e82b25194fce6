"""Sharing, as operations: publish or hide a table, read a table by its code, clone it.

Reading and cloning talk to the server, so they are handed out as work for the background
(the window runs them off the GUI thread; tests may call them directly). Making a table public
is an ordinary edit: it goes into the outbox and syncs like any other.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from terrain_desktop.app import plans
from terrain_desktop.app.syncing import SyncOperation, read_timeout
from terrain_desktop.domain.piece import Batch, Piece
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_desktop.sync import sharing
from terrain_desktop.sync.client import ApiClient, ApiRefused
from terrain_desktop.sync.engine import SESSION_KEY
from terrain_protocol.tables import TableOut


@dataclass(frozen=True)
class SharedTable:
    """A table read by its share code: what it is, and the code that opened it."""

    table: TableOut
    code: str

    @property
    def pieces(self) -> list[Piece]:
        return [Piece.from_wire(p) for p in self.table.layout.get("models", [])]


class ReadOnlyRecorder:
    """The `Recorder` of a shared table's document: it holds the table, and keeps no edit
    (the view is read-only; nothing of someone else's table reaches the store)."""

    def __init__(self, shared: SharedTable) -> None:
        table = shared.table
        self.local = LocalTable(
            id=str(table.id),
            name=table.name,
            description=table.description,
            width=table.width,
            depth=table.depth,
            is_public=table.is_public,
            status=table.status,
            sync_state="shared",
            sync_error=None,
            share_code=shared.code,
        )
        self._pieces = shared.pieces

    def table(self, table_id: str) -> LocalTable | None:
        return self.local if table_id == self.local.id else None

    def pieces(self, table_id: str) -> list[Piece]:
        return list(self._pieces) if table_id == self.local.id else []

    def record_pieces(self, table_id: str, batch: Batch) -> None:
        raise PermissionError("a shared table is read-only; clone it to edit")

    def update_table(self, table_id: str, **fields: Any) -> None:
        raise PermissionError("a shared table is read-only; clone it to edit")


class SharingOperation:
    def __init__(self, sync: SyncOperation) -> None:
        self.sync = sync

    @property
    def store(self) -> LocalStore:
        return self.sync.store

    def to_server(self, table_id: str) -> None:
        """A table must be on the server to have a share code: one kept here only (the
        untouched sample) is queued now, to go with the next sync."""
        self.store.send_table(table_id)

    def set_public(self, table_id: str, public: bool) -> None:
        """Public tables are listed for everyone; private ones open by their code only."""
        table = self.store.table(table_id)
        if table is not None and table.is_public != public:
            self.store.update_table(table_id, is_public=public)

    def _client_work(self) -> Callable[[], ApiClient]:
        """A client as this device: the account's token, or the anonymous session (made and
        kept on first contact, as sync does)."""
        url, token = self.sync.server_url(), self.sync.token()
        path = self.store.path

        def connect() -> ApiClient:
            if token is not None:
                return ApiClient(url, token=token, timeout=read_timeout(), retries=1)
            store = LocalStore(path)
            try:
                client = ApiClient(
                    url, session_id=store.get_meta(SESSION_KEY), timeout=read_timeout()
                )
                client.retries = 1
                if client.session_id is None:
                    client.session_id = client.create_session()
                    store.set_meta(SESSION_KEY, client.session_id)
                return client
            finally:
                store.close()

        return connect

    def open_work(self, text: str) -> Callable[[], SharedTable]:
        """Read the table behind a code the user typed (ValueError when it cannot be one)."""
        code = sharing.normalise_code(text)
        if code is None:
            raise ValueError(
                f"“{text.strip()}” is not a share code: it has 16 letters and digits (0-9, A-F)."
            )
        connect = self._client_work()

        def work() -> SharedTable:
            client = connect()
            try:
                return SharedTable(sharing.shared_table(client, code), code)
            finally:
                client.close()

        return work

    def clone_work(self, shared: SharedTable) -> Callable[[], TableOut]:
        """Clone into my tables; the plan's limit is checked here first (offline, the same
        words as making a new table), and the server's refusal says the same."""
        summary = plans.summary(self.store, self.sync.plan())
        if summary.full:
            raise TableLimitReached(summary.explanation())
        connect = self._client_work()

        def work() -> TableOut:
            client = connect()
            try:
                return sharing.clone(client, uuid.UUID(str(shared.table.id)), shared.code)
            except ApiRefused as refusal:
                if refusal.code == "table_limit":  # the server counts tables not here yet
                    full = plans.PlanSummary(summary.plan, summary.limit, summary.limit)
                    raise TableLimitReached(full.explanation()) from None
                raise
            finally:
                client.close()

        return work
