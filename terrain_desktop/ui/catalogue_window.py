"""The catalogue browser's window: search and sets on the left, the detail on the right.

Opened from File ▸ Browse catalogue… (Ctrl+K); it stays open beside the main window, and
"Add to this table" always means the table open there. The window is made on first use (its
3D preview costs start-up) and kept.

Hooks for other parts of the app (all Qt signals):
- `CatalogueWindow.added(Added)`: an asset or a set joined the open table's library.
- `CatalogueWindow.detail` (`AssetDetailView`): `cart_requested(AssetOut)` when its
  "Add to cart" button is clicked; show the button with `detail.cart_button.setVisible(True)`.
- `CatalogueWindow.browser` (`CatalogueBrowser`): `asset_opened`, `page_listed`, `page_shown`.
"""

from collections.abc import Callable

from terrain_desktop.app.browsing import Added, CatalogueBrowsing, NoTableOpen
from terrain_desktop.app.shell import AppShell
from terrain_desktop.sync.client import ApiRefused
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.catalogue_artist import ArtistView
from terrain_desktop.ui.catalogue_browser import CatalogueBrowser
from terrain_desktop.ui.catalogue_detail import AssetDetailView
from terrain_desktop.ui.catalogue_sets import SetsView
from terrain_desktop.ui.qt import (
    QCloseEvent,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from terrain_desktop.ui.window_view import WindowView
from terrain_protocol.catalogue import AssetOut, SetDetail

ShowMessage = Callable[[str, int], None]


class CatalogueWindow(QWidget):
    #: An addition finished: the `Added` (table id, asset ids, set id, whether on the server).
    added = Signal(object)

    def __init__(
        self, browsing: CatalogueBrowsing, show: ShowMessage, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Catalogue — Terrain Builder")
        self.resize(1200, 760)
        self.browsing = browsing
        self.show_message = show
        self.browser = CatalogueBrowser(browsing)
        self.sets = SetsView(browsing)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.browser, "Assets")
        self.tabs.addTab(self.sets, "Sets")
        self.detail = AssetDetailView(browsing)
        self.artist = ArtistView(browsing)
        self.intro = QLabel("Pick an asset to see it in 3D, with its size, artist and price.")
        self.intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro.setWordWrap(True)
        self.pages = QStackedWidget()
        for page in (self.intro, self.detail, self.artist):
            self.pages.addWidget(page)
        self.back = QPushButton("← Back")
        self.back.setEnabled(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        bar = QHBoxLayout()
        bar.addWidget(self.back)
        bar.addStretch(1)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.pages, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(right)
        splitter.setSizes([680, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._history: list[Callable[[], None]] = []

        self.browser.asset_opened.connect(self.open_asset)
        self.sets.asset_opened.connect(self.open_asset)
        self.artist.asset_opened.connect(self.open_asset)
        self.detail.artist_requested.connect(self.open_artist)
        self.detail.add_requested.connect(self.add_asset)
        self.sets.add_set_requested.connect(self.add_set)
        self.back.clicked.connect(self.go_back)
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- pages ---------------------------------------------------------------------------------

    def _visit(self, page: QWidget, again: Callable[[], None]) -> None:
        self._history.append(again)
        self.back.setEnabled(len(self._history) > 1)
        self.pages.setCurrentWidget(page)

    def open_asset(self, asset: AssetOut) -> None:
        self.detail.show_asset(asset)
        self._visit(self.detail, lambda: self.open_asset(asset))

    def open_artist(self, artist_id: object) -> None:
        self.artist.show_artist(artist_id)  # type: ignore[arg-type]
        self._visit(self.artist, lambda: self.open_artist(artist_id))

    def go_back(self) -> None:
        if len(self._history) > 1:
            self._history.pop()
            again = self._history.pop()
            again()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.sets and not self.sets.loaded:
            self.sets.refresh()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.browser.timings:  # first time: the newest assets, before any typing
            self.browser.run_search()

    # -- adding to the open table --------------------------------------------------------------

    def add_asset(self, asset: AssetOut) -> None:
        self._add(lambda: self.browsing.add_asset_work(asset), asset.name)

    def add_set(self, curated: SetDetail) -> None:
        self._add(lambda: self.browsing.add_set_work(curated), f"the set {curated.name}")

    def _add(self, make: Callable[[], Callable[[], Added]], what: str) -> None:
        try:
            work = make()
        except NoTableOpen as reason:
            self.say(str(reason))
            return
        self.say(f"Adding {what} to “{self.browsing.table_name()}”…")
        BackgroundOp.run(work, self._added, lambda error: self._not_added(what, error))

    def _added(self, result: Added) -> None:
        self.say(self.browsing.added(result))
        self.added.emit(result)

    def _not_added(self, what: str, error: Exception) -> None:
        reason = error.message if isinstance(error, ApiRefused) else "the server cannot be reached"
        self.say(f"Could not add {what}: {reason}. Nothing was changed.")

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.show_message(text, 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hide()  # kept for next time, with its results and cache
        event.ignore()

    def shut(self) -> None:
        """With the main window: the 3D preview's GL window and the HTTP clients go."""
        self.detail.close_preview()
        self.browsing.close()


class CatalogueDoor:
    """The main window's way into the catalogue: the window is made on first use (its 3D
    preview costs start-up) and kept, with its results, until the app closes."""

    def __init__(
        self,
        shell: AppShell,
        view: WindowView,
        made: Callable[[CatalogueWindow], None] = lambda _: None,
    ) -> None:
        """`made` hears of the window once, when it is made (the cart attaches to it)."""
        self.shell = shell
        self.view = view
        self.made = made
        self.window: CatalogueWindow | None = None

    def open(self) -> CatalogueWindow:
        if self.window is None:
            self.window = CatalogueWindow(
                self.shell.browsing, self.view.show_message, self.view.frame
            )
            self.made(self.window)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def open_sets(self) -> None:
        catalogue = self.open()
        catalogue.tabs.setCurrentWidget(catalogue.sets)

    def shut(self) -> None:
        if self.window is not None:
            self.window.shut()
