"""Browsing the server's catalogue and adding from it to the open table, as operations.

Each `*_work` method reads what it needs from the store on the calling (GUI) thread and
returns the network part as a function to run in the background; what must touch the store
afterwards (`added`) runs back on the calling thread. The CLI and tests can call the work
directly.

Adding to a table: a table the server knows (synced) gets the asset or set through the
server's table-library routes at once, and the local store mirrors the answer; a table never
synced yet cannot be addressed on the server, so the addition is queued in its outbox and
reaches the server with the table on its first sync (the user is told so).
"""

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from terrain_desktop.app.editor import Editor
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.store.library_entries import mirror_added
from terrain_desktop.sync import orders_client
from terrain_desktop.sync.catalogue_cache import CatalogueCache
from terrain_desktop.sync.catalogue_client import (
    PAGE_SIZE,
    ArtistProfile,
    CatalogueClient,
    CatalogueQuery,
)
from terrain_desktop.sync.client import ApiClient
from terrain_desktop.sync.engine import SESSION_KEY
from terrain_protocol.catalogue import AssetListResponse, AssetOut, SetDetail, SetListResponse


class NoTableOpen(Exception):
    """Adding to "this table" needs a table open."""


@dataclass(frozen=True)
class Added:
    """What an addition did; `message` is for the status bar."""

    table_id: str
    asset_ids: list[str]
    set_id: str | None
    on_server: bool
    message: str


def owned_marked(client: CatalogueClient, page: AssetListResponse) -> AssetListResponse:
    """The page with `full_access` set on what the signed-in account owns (its uploads and
    purchases): the search itself answers the same for everyone, as for a stranger."""
    if not client.client.token or all(a.full_access for a in page.assets):
        return page
    owned = orders_client.ownership(client.client)
    mine = owned.purchased | owned.uploaded
    assets = [
        a.model_copy(update={"full_access": True}) if str(a.id) in mine else a for a in page.assets
    ]
    return page.model_copy(update={"assets": assets})


class CatalogueBrowsing:
    def __init__(self, sync: SyncOperation, editor: Editor, cache: CatalogueCache) -> None:
        self.sync = sync
        self.editor = editor
        self.store = sync.store
        self.cache = cache
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str | None, str | None], CatalogueClient] = {}

    def client(self) -> CatalogueClient:
        """The catalogue as the signed-in account (or this device's anonymous session) sees
        it; one HTTP client per server and credentials, shared by the background threads."""
        token = self.sync.token()
        session = None if token else self.store.get_meta(SESSION_KEY)
        key = (self.sync.server_url(), token, session)
        with self._lock:
            if key not in self._clients:
                api = ApiClient(key[0], token=token, session_id=session, timeout=15, retries=2)
                self._clients[key] = CatalogueClient(api)
            return self._clients[key]

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.client.close()
            self._clients.clear()

    # -- reading the catalogue -----------------------------------------------------------------

    def search_work(
        self, query: CatalogueQuery, offset: int, limit: int = PAGE_SIZE
    ) -> Callable[[], AssetListResponse]:
        client = self.client()
        return lambda: owned_marked(client, client.search(query, offset, limit))

    def thumbnail(self, client: CatalogueClient, asset: AssetOut) -> Path | None:
        """The asset's thumbnail on disk: from the cache, else fetched into it (background)."""
        cached = self.cache.cached_thumbnail(asset)
        if cached is not None or asset.thumbnail_url is None:
            return cached
        return self.cache.store_thumbnail(asset, client.download(asset.thumbnail_url))

    def display_mesh(self, client: CatalogueClient, asset: AssetOut) -> Path | None:
        """The asset's display mesh on disk, fetched on first need (background)."""
        cached = self.cache.cached_display(asset)
        if cached is not None or asset.display_url is None:
            return cached
        return self.cache.store_display(asset, client.download(asset.display_url))

    def display_work(self, asset: AssetOut) -> Callable[[], Path | None]:
        client = self.client()
        return lambda: self.display_mesh(client, asset)

    def access_work(self, asset: AssetOut) -> Callable[[], bool]:
        """Whether this account (or session) has the model in full: search results are the
        same for everyone, so they cannot say (an artist's own model, a bought one)."""
        client = self.client()
        return lambda: client.asset(asset.id).full_access

    def views_work(self, asset: AssetOut) -> Callable[[], list[bytes]]:
        """The server's pictures of the full mesh (front, back, side, top), as PNG bytes."""
        client = self.client()
        urls = list(asset.view_urls.values())
        return lambda: [client.download(url) for url in urls]

    def artist_work(self, artist_id: uuid.UUID) -> Callable[[], ArtistProfile]:
        client = self.client()
        return lambda: client.artist(artist_id)

    def sets_work(self) -> Callable[[], SetListResponse]:
        client = self.client()
        return lambda: client.sets()

    def set_work(self, set_id: uuid.UUID) -> Callable[[], SetDetail]:
        client = self.client()
        return lambda: client.curated_set(set_id)

    # -- adding to the open table --------------------------------------------------------------

    def table_name(self) -> str | None:
        return None if self.editor.doc is None else self.editor.doc.table.name

    def _target(self) -> tuple[str, bool]:
        doc = self.editor.doc
        if doc is None:
            raise NoTableOpen("Open a table first: assets are added to the open table.")
        table = self.store.table(doc.table_id)
        return doc.table_id, table is not None and table.sync_state == "synced"

    def _fetch_files(self, client: CatalogueClient, assets: Iterable[AssetOut]) -> None:
        """Remember each asset and fetch its thumbnail, so the drawer shows it at once, online
        or not. Display meshes come on demand (`app/mesh_downloads.py`, with progress), into
        the shared mesh cache; one the detail view previewed is taken from here."""
        for asset in assets:
            self.thumbnail(client, asset)
            self.cache.remember(asset)

    def add_asset_work(self, asset: AssetOut) -> Callable[[], Added]:
        table_id, synced = self._target()
        client, name = self.client(), self.table_name()

        def work() -> Added:
            if synced:
                client.add_asset(table_id, asset.id)
            self._fetch_files(client, [asset])
            where = f"“{name}”" if synced else f"“{name}” (it reaches the server when it syncs)"
            return Added(table_id, [str(asset.id)], None, synced, f"Added {asset.name} to {where}.")

        return work

    def add_set_work(self, curated: SetDetail) -> Callable[[], Added]:
        table_id, synced = self._target()
        client, name = self.client(), self.table_name()
        members = [a for a in curated.assets if a.status == "published"]

        def work() -> Added:
            note = ""
            if synced:
                answer = client.add_set(table_id, curated.id)
                note = f" {answer.added} new, {answer.already_present} already there."
            else:
                note = " It reaches the server when the table first syncs."
            self._fetch_files(client, members)
            ids = [str(a.id) for a in members]
            message = f"Added the set {curated.name} to “{name}”.{note}"
            return Added(table_id, ids, str(curated.id), synced, message)

        return work

    def added(self, result: Added) -> str:
        """Back on the GUI thread: the local store follows, and the drawer shows it."""
        if not result.on_server:  # queued: the table's first sync takes it to the server
            if result.set_id is not None:
                self.store.add_library_set(result.table_id, result.set_id)
            else:
                for asset_id in result.asset_ids:
                    self.store.add_library_asset(result.table_id, asset_id)
        if result.on_server or result.set_id is not None:
            mirror_added(self.store, result.table_id, result.asset_ids, result.set_id)
        self.editor.catalogue.reload()
        self.editor.library_changed.emit(None)
        return result.message
