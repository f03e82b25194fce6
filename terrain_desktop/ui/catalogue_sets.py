"""Curated sets: the list, one set's assets, and "Add this set to this table".

The list loads when the tab is first shown (and on Refresh); picking a set fetches its
assets, whose thumbnails follow in the background. Clicking an asset emits `asset_opened`.
"""

from terrain_desktop.app import in_words
from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.catalogue_artist import ASSET_ROLE, asset_grid, fill_grid
from terrain_desktop.ui.qt import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from terrain_protocol.catalogue import SetDetail, SetListResponse

SET_ROLE = Qt.ItemDataRole.UserRole


class SetsView(QWidget):
    #: "Add this set to this table" was clicked: the `SetDetail`.
    add_set_requested = Signal(object)
    #: An asset of the set was clicked: its `AssetOut`.
    asset_opened = Signal(object)

    def __init__(self, browsing: CatalogueBrowsing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browsing = browsing
        self.sets = QListWidget()
        self.sets.setMaximumHeight(180)
        self.refresh_button = QPushButton("Refresh")
        self.title = QLabel("Pick a set to see what it holds.")
        self.title.setStyleSheet("font-weight: bold;")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.assets = asset_grid()
        self.add_button = QPushButton("Add this set to this table")
        self.add_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Curated sets"))
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sets)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.assets, 1)
        layout.addWidget(self.add_button)
        self.current: SetDetail | None = None
        self.loaded = False
        self.refresh_button.clicked.connect(self.refresh)
        self.sets.currentItemChanged.connect(self._open)
        self.assets.itemClicked.connect(lambda item: self.asset_opened.emit(item.data(ASSET_ROLE)))
        self.add_button.clicked.connect(
            lambda: self.current and self.add_set_requested.emit(self.current)
        )

    def refresh(self) -> None:
        self.title.setText("Loading the curated sets…")
        BackgroundOp.run(self.browsing.sets_work(), self._listed, self._failed, owner=self)

    def _listed(self, answer: SetListResponse) -> None:
        self.loaded = True
        self.sets.clear()
        for curated in answer.sets:
            item = QListWidgetItem(f"{curated.name} ({curated.asset_count} assets)")
            item.setData(SET_ROLE, curated.id)
            self.sets.addItem(item)
        self.title.setText("Pick a set to see what it holds." if answer.sets else "No sets yet.")

    def _open(self, item: QListWidgetItem | None, _: QListWidgetItem | None = None) -> None:
        if item is None:
            return
        self.add_button.setEnabled(False)
        self.title.setText("Loading the set…")
        BackgroundOp.run(
            self.browsing.set_work(item.data(SET_ROLE)), self._shown, self._failed, owner=self
        )

    def _shown(self, curated: SetDetail) -> None:
        picked = self.sets.currentItem()
        if picked is None or picked.data(SET_ROLE) != curated.id:
            return  # an answer for a set picked before this one
        self.current = curated
        self.title.setText(curated.name)
        self.description.setText(curated.description or "")
        fill_grid(self.assets, self.browsing, curated.assets)
        self.add_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self.title.setText(f"Could not load from the catalogue server ({in_words.reason(error)}).")

    def item_named(self, name: str) -> QListWidgetItem | None:
        for row in range(self.sets.count()):
            item = self.sets.item(row)
            if item.text().startswith(f"{name} ("):
                return item
        return None
