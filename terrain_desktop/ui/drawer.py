"""The asset drawer: the open table's library as thumbnails, to drag onto the table.

Filter by text and category. The list keeps one order (by category, then name) whatever is
used, so a piece never jumps away from under the pointer; pieces used lately are repeated in a
"Recently used" strip above it.
"""

from collections.abc import Callable, Sequence

from terrain_desktop.domain.catalogue import LibraryAsset, category_label
from terrain_desktop.domain.units import LengthUnit, format_size
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QIcon,
    QLabel,
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
RECENT_SHOWN = 8
ASSET_ROLE = Qt.ItemDataRole.UserRole


class AssetList(QListWidget):
    """Thumbnails that drag as asset ids."""

    def __init__(self, parent: QWidget | None = None, icon: int = 96) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(icon, icon))
        self.setGridSize(QSize(icon + 20, icon + 36))
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
        self.recent_label = QLabel("Recently used")
        self.recent_list = AssetList(icon=48)
        self.recent_list.setFlow(QListWidget.Flow.LeftToRight)
        self.recent_list.setWrapping(False)
        self.recent_list.setFixedHeight(92)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.category)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list)
        layout.addWidget(self.list)
        self._assets: list[LibraryAsset] = []
        self.unit = LengthUnit.MM
        self._recent: Callable[[], list[str]] = list
        self.search.textChanged.connect(self.refresh)
        self.category.currentTextChanged.connect(self.refresh)

    def set_assets(self, assets: list[LibraryAsset], recent: Callable[[], list[str]]) -> None:
        self._assets = assets
        self._recent = recent
        categories = sorted({a.category for a in assets})
        self.category.blockSignals(True)  # echoing the model must not re-trigger a refresh
        self.category.clear()
        self.category.addItem(ALL_CATEGORIES, "")
        for category in categories:  # shown capitalised, filtered by the slug
            self.category.addItem(category_label(category), category)
        self.category.blockSignals(False)
        self.refresh()

    def set_unit(self, unit: LengthUnit) -> None:
        """Sizes in the pieces' tooltips follow the units setting."""
        if unit == self.unit:  # the window applies the setting as it opens: items unchanged
            return
        self.unit = unit
        self.refresh()

    def visible_assets(self) -> list[LibraryAsset]:
        text = self.search.text().strip().casefold()
        category = self.category.currentData() or ""
        chosen = [
            a
            for a in self._assets
            if (not category or a.category == category)
            and (not text or text in a.name.casefold() or any(text in t for t in a.tags))
        ]
        return sorted(chosen, key=lambda a: (a.category, a.name.casefold()))

    def recent_assets(self) -> list[LibraryAsset]:
        by_id = {a.id: a for a in self._assets}
        return [by_id[i] for i in self._recent() if i in by_id][:RECENT_SHOWN]

    def refresh(self) -> None:
        for widget, assets in (
            (self.list, self.visible_assets()),
            (self.recent_list, self.recent_assets()),
        ):
            widget.clear()
            for asset in assets:
                widget.addItem(_item(asset, self.unit))
        has_recent = self.recent_list.count() > 0
        self.recent_label.setVisible(has_recent)
        self.recent_list.setVisible(has_recent)

    def item_for(self, asset_id: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ASSET_ROLE) == asset_id:
                return item
        return None

    def item_for_name(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text() in (name, f"{name} · {PREVIEW_MARK}"):
                return item
        return None


#: Beside a piece the user does not own: only the server's preview tiers are on this computer.
PREVIEW_MARK = "preview"
PREVIEW_NOTE = "\nPreview: a lighter mesh until you own it (buying brings the full detail)"


def _item(asset: LibraryAsset, unit: LengthUnit = LengthUnit.MM) -> QListWidgetItem:
    label = f"{asset.name} · {PREVIEW_MARK}" if asset.preview else asset.name
    item = QListWidgetItem(QIcon(QPixmap(str(asset.thumbnail_path))), label)
    item.setData(ASSET_ROLE, asset.id)
    missing = "" if asset.mesh_path.is_file() else "\nMesh not on this computer yet: shown as a box"
    size = format_size(asset.size_mm, unit)
    note = PREVIEW_NOTE if asset.preview else ""
    item.setToolTip(f"{asset.name}\n{category_label(asset.category)} · {size}{missing}{note}")
    return item
