"""Searching the server's catalogue: a query bar, filters, and results that load as you scroll.

Typing searches after a short pause (Enter at once); the server forgives typos. Results come
a page at a time: scrolling near the end asks for the next page, and a page that does not
fill the view asks for another. Every request and every thumbnail runs in the background, so
the list scrolls while they arrive; a new search drops whatever the old one still had coming.
Clicking a result emits `asset_opened` (the window shows its detail).
"""

import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.domain.catalogue import category_label
from terrain_desktop.domain.money import format_money
from terrain_desktop.sync.catalogue_client import MAX_OFFSET, CatalogueQuery
from terrain_desktop.sync.client import ApiRefused
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.catalogue_thumbs import icon, load_thumbnails, placeholder
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSize,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from terrain_protocol.catalogue import CATEGORIES, AssetListResponse, AssetOut, SearchSort

ICON = 112
ASSET_ROLE = Qt.ItemDataRole.UserRole
ANY_CATEGORY = "Any category"
SEARCH_PAUSE_MS = 300
SORTS: list[tuple[str, SearchSort | None]] = [
    ("Best match", None),
    ("Newest", "newest"),
    ("Popular", "popular"),
    ("Price: low to high", "price"),
    ("Price: high to low", "price_desc"),
]


def price_text(price: Decimal) -> str:
    return "Free" if price == 0 else format_money(price)


def parse_price(text: str) -> Decimal | None:
    """A price typed by the user, or None when the field is empty or not a price."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


@dataclass
class PageTiming:
    """When a page was asked for, arrived, and had all its thumbnails shown (perf_counter)."""

    offset: int
    asked: float
    listed: float | None = None
    shown: float | None = None
    sizes: list[int] = field(default_factory=list)


class CatalogueBrowser(QWidget):
    #: The user picked a result: its `AssetOut`.
    asset_opened = Signal(object)
    #: A page of results is in the list (its offset); its thumbnails follow.
    page_listed = Signal(int)
    #: Every thumbnail of the page at this offset is shown.
    page_shown = Signal(int)

    def __init__(self, browsing: CatalogueBrowsing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browsing = browsing
        self.search = QLineEdit(placeholderText="Search the catalogue (names, tags, artists)…")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.category.addItem(ANY_CATEGORY, "")
        for slug in CATEGORIES:  # read capitalised, searched by the slug
            self.category.addItem(category_label(slug), slug)
        self.tags = QLineEdit(placeholderText="tags, comma-separated")
        self.min_price = QLineEdit(placeholderText="min price")
        self.max_price = QLineEdit(placeholderText="max price")
        self.sort = QComboBox()
        self.sort.addItems([label for label, _ in SORTS])
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setGridSize(QSize(ICON + 28, ICON + 48))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.status = QLabel("Type to search the catalogue.")
        self.status.setWordWrap(True)

        filters = QHBoxLayout()
        for widget in (self.category, self.tags, self.min_price, self.max_price, self.sort):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)

        self._pause = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._pause.start())
        self.search.returnPressed.connect(self.run_search)
        for line in (self.tags, self.min_price, self.max_price):
            line.textChanged.connect(lambda _: self._pause.start())
        self.category.currentIndexChanged.connect(lambda _: self.run_search())
        self.sort.currentIndexChanged.connect(lambda _: self.run_search())
        self.list.verticalScrollBar().valueChanged.connect(lambda _: self._near_end())
        self.list.currentItemChanged.connect(self._picked)

        self.query = CatalogueQuery()
        self.total = 0
        self.loaded = 0
        self.timings: list[PageTiming] = []
        self._generation = 0
        self._loading: BackgroundOp[AssetListResponse] | None = None
        self._thumbs: list[BackgroundOp[int]] = []
        self._blank = placeholder(ICON)

    # -- asking --------------------------------------------------------------------------------

    def current_query(self) -> CatalogueQuery:
        category = self.category.currentData() or ANY_CATEGORY
        tags = tuple(t.strip().lower() for t in self.tags.text().split(",") if t.strip())
        return CatalogueQuery(
            text=self.search.text(),
            category=None if category == ANY_CATEGORY else category,
            tags=tags[:20],
            min_price=parse_price(self.min_price.text()),
            max_price=parse_price(self.max_price.text()),
            sort=SORTS[self.sort.currentIndex()][1],
        )

    def run_search(self) -> None:
        """Start over with what the controls say now."""
        self._pause.stop()
        self._generation += 1
        if self._loading is not None:
            self._loading.cancel()
            self._loading = None
        for op in self._thumbs:
            op.cancel()
        self._thumbs.clear()
        self.query = self.current_query()
        self.total = self.loaded = 0
        self.timings.clear()
        self.list.clear()
        self.status.setText("Searching…")
        self.load_more()

    @property
    def has_more(self) -> bool:
        return self.loaded < min(self.total, MAX_OFFSET)

    def load_more(self) -> None:
        """The next page, unless one is on its way or there is no more."""
        if self._loading is not None or (self.timings and not self.has_more):
            return
        generation, offset = self._generation, self.loaded
        self.timings.append(PageTiming(offset, time.perf_counter()))
        self._loading = BackgroundOp.run(
            self.browsing.search_work(self.query, offset),
            lambda page: self._listed(generation, offset, page),
            lambda error: self._failed(generation, error),
            owner=self,  # a closed catalogue drops a late answer
        )

    def _near_end(self) -> None:
        bar = self.list.verticalScrollBar()
        if bar.value() >= bar.maximum() - self.list.gridSize().height() and self.has_more:
            self.load_more()

    # -- answers -------------------------------------------------------------------------------

    def _listed(self, generation: int, offset: int, page: AssetListResponse) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self.total = page.total
        first_row = self.list.count()
        for asset in page.assets:
            mark = "" if asset.full_access else " · preview"
            item = QListWidgetItem(
                self._blank, f"{asset.name}\n{price_text(asset.base_price)}{mark}"
            )
            item.setData(ASSET_ROLE, asset)
            item.setToolTip(f"{asset.name} by {asset.artist_name or 'an artist'}")
            self.list.addItem(item)
        self.loaded = offset + len(page.assets)
        timing = next(t for t in self.timings if t.offset == offset)
        timing.listed = time.perf_counter()
        self.status.setText(self._summary())
        self.page_listed.emit(offset)
        self._fetch_thumbnails(generation, timing, first_row, page.assets)
        QTimer.singleShot(0, self._fill_view)

    def _fetch_thumbnails(
        self, generation: int, timing: PageTiming, first_row: int, assets: list[AssetOut]
    ) -> None:
        def each(index: int, image: QImage | None) -> None:
            item = self.list.item(first_row + index)
            if generation == self._generation and item is not None and image is not None:
                item.setIcon(icon(image))

        def done() -> None:
            if generation == self._generation:
                timing.shown = time.perf_counter()
                self.page_shown.emit(timing.offset)

        self._thumbs.append(
            load_thumbnails(self.browsing, assets, ICON, each, done, owner=self.list)
        )
        self._thumbs = [op for op in self._thumbs if op.running]

    def _fill_view(self) -> None:
        """A page that leaves the view unfilled cannot be scrolled: ask for the next now."""
        self.list.doItemsLayout()
        if self.list.verticalScrollBar().maximum() == 0 and self.has_more:
            self.load_more()
        else:
            self._near_end()

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = None
        if isinstance(error, ApiRefused):
            self.status.setText(f"The server refused the search: {error.message}")
        else:
            self.status.setText(
                "Cannot reach the catalogue server. Check the server address (File menu) "
                "and try again."
            )

    def _summary(self) -> str:
        if self.total == 0:
            return "Nothing found. Try fewer words or filters."
        return f"{self.total:,} asset{'' if self.total == 1 else 's'} · showing {self.loaded:,}"

    # -- picking -------------------------------------------------------------------------------

    def _picked(self, item: QListWidgetItem | None, _: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.asset_opened.emit(item.data(ASSET_ROLE))

    def item_named(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ASSET_ROLE).name == name:
                return item
        return None
