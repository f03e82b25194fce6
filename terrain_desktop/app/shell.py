"""The application: the store and every operation over it, made once when the app starts.

As Anki's `mw.col`/`mw` pair without the window in it: the window, its docks and
controllers, the CLI and tests all reach the same `AppShell`, and none of them builds an
operation of its own. Nothing here imports Qt; undo goes to whatever `History` the caller
gives (Qt's undo stack in the window).
"""

from functools import cached_property

from terrain_desktop.app.artist import ArtistOperation
from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.app.editor import Editor, History
from terrain_desktop.app.sharing import SharingOperation
from terrain_desktop.app.shopping import Shop
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.app.table_library import TableLibrary
from terrain_desktop.app_data import Catalogue, data_dir
from terrain_desktop.store.local_store import LocalStore


class AppShell:
    def __init__(self, store: LocalStore, history: History | None = None) -> None:
        self.store = store
        self.sync = SyncOperation(store)
        self.catalogue = Catalogue(store)
        self.editor = Editor(store, self.catalogue, history, self.sync.plan)
        self.artist = ArtistOperation(self.sync)
        self.sharing = SharingOperation(self.sync)
        self.library = TableLibrary(self.editor, self.sync)

    @cached_property
    def shop(self) -> Shop:
        """The cart, prices and orders (reads the saved cart on first use)."""
        return Shop(self.sync, self.catalogue, data_dir() / "thumbnails" / "assets")

    @cached_property
    def browsing(self) -> CatalogueBrowsing:
        """The server's catalogue, browsed; made when the catalogue is first opened."""
        return CatalogueBrowsing(self.sync, self.editor, self.catalogue.remote)
