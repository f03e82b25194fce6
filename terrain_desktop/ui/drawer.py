"""The asset drawer: the open table's library as thumbnails, to drag onto the table.

Filter by text and category; pieces used lately come first.
"""

from collections.abc import Callable, Sequence

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QIcon,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QPixmap,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.viewport import ASSET_MIME

ALL_CATEGORIES = "All categories"
ASSET_ROLE = Qt.ItemDataRole.UserRole


class AssetList(QListWidget):
    """Thumbnails that drag as asset ids."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(96, 96))
        self.setGridSize(QSize(116, 132))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def mimeTypes(self) -> list[str]:
        return [ASSET_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(ASSET_MIME, str(items[0].data(ASSET_ROLE)).encode())
        return data


class AssetDrawer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Filter pieces…")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.list = AssetList()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.category)
        layout.addWidget(self.list)
        self._assets: list[LibraryAsset] = []
        self._recent: Callable[[], list[str]] = list
        self.search.textChanged.connect(self.refresh)
        self.category.currentTextChanged.connect(self.refresh)

    def set_assets(self, assets: list[LibraryAsset], recent: Callable[[], list[str]]) -> None:
        self._assets = assets
        self._recent = recent
        categories = sorted({a.category for a in assets})
        self.category.blockSignals(True)  # echoing the model must not re-trigger a refresh
        self.category.clear()
        self.category.addItems([ALL_CATEGORIES, *categories])
        self.category.blockSignals(False)
        self.refresh()

    def visible_assets(self) -> list[LibraryAsset]:
        text = self.search.text().strip().casefold()
        category = self.category.currentText()
        recent = {asset_id: rank for rank, asset_id in enumerate(self._recent())}
        chosen = [
            a
            for a in self._assets
            if (category in ("", ALL_CATEGORIES) or a.category == category)
            and (not text or text in a.name.casefold() or any(text in t for t in a.tags))
        ]
        return sorted(chosen, key=lambda a: (recent.get(a.id, len(recent)), a.name))

    def refresh(self) -> None:
        self.list.clear()
        for asset in self.visible_assets():
            item = QListWidgetItem(QIcon(QPixmap(str(asset.thumbnail_path))), asset.name)
            item.setData(ASSET_ROLE, asset.id)
            w, d, h = asset.size_mm
            item.setToolTip(f"{asset.name}\n{asset.category} · {w:.0f} × {d:.0f} × {h:.0f} mm")
            self.list.addItem(item)

    def item_for(self, asset_id: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ASSET_ROLE) == asset_id:
                return item
        return None

    def item_for_name(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text() == name:
                return item
        return None
