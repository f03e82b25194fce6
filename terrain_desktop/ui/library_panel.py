"""The table library manager: what the open table's library holds, filtered by text, category
and source; remove an asset (a toast offers Undo for five minutes); Add set… opens the
catalogue browser's sets.

The panel calls the `TableLibrary` operation and shows what it answers; network work runs in
the background.
"""

from collections.abc import Callable
from pathlib import Path

from terrain_desktop.app import in_words
from terrain_desktop.app.table_library import SOURCES, Entry, Removal, TableLibrary, UndoExpired
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QIcon,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.toast import Toast
from terrain_protocol.library import UNDO_WINDOW_SECONDS

ALL_CATEGORIES = "All categories"
ALL_SOURCES = "All sources"
ID_ROLE = Qt.ItemDataRole.UserRole
ShowMessage = Callable[[str, int], None]


class LibraryPanel(QWidget):
    def __init__(
        self,
        library: TableLibrary,
        toast: Toast,
        show: ShowMessage,
        browse_sets: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.toast = toast
        self.show_message = show
        self.browse_sets = browse_sets
        self.search = QLineEdit(placeholderText="Filter the library…")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.source = QComboBox()
        self.source.addItem(ALL_SOURCES, "")
        for key, label in SOURCES.items():
            self.source.addItem(label, key)
        self.list = QListWidget()
        self.list.setIconSize(QSize(40, 40))
        self.count = QLabel()
        self.remove_button = QPushButton("Remove from library")
        self.add_set_button = QPushButton("Add set…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.add_set_button)
        filters = QHBoxLayout()
        filters.addWidget(self.category)
        filters.addWidget(self.source)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self.last_removal: Removal | None = None
        self.search.textChanged.connect(self.refresh)
        self.category.currentIndexChanged.connect(self.refresh)
        self.source.currentIndexChanged.connect(self.refresh)
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_set_button.clicked.connect(self.add_set)
        self.list.itemSelectionChanged.connect(self._selection)
        self._selection()

    # -- showing -------------------------------------------------------------------------------

    def reload(self) -> None:
        """The library changed: new categories, then the list."""
        current = self.category.currentText()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItems([ALL_CATEGORIES, *self.library.categories()])
        self.category.setCurrentText(current if current else ALL_CATEGORIES)
        self.category.blockSignals(False)
        self.refresh()

    def refresh(self, *_: object) -> None:
        category = self.category.currentText()
        entries = self.library.entries(
            self.search.text(),
            "" if category in ("", ALL_CATEGORIES) else category,
            str(self.source.currentData() or ""),
        )
        self.list.clear()
        for entry in entries:
            self.list.addItem(_item(entry))
        total = len(self.library.entries())
        self.count.setText(f"{len(entries)} of {total} asset(s)")
        self._selection()

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def item_for_name(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text().split(" — ")[0] == name:
                return item
        return None

    # -- remove and undo -----------------------------------------------------------------------

    def remove_selected(self) -> None:
        items = self.list.selectedItems()
        if not items:
            return
        removal = self.library.remove(str(items[0].data(ID_ROLE)))
        if removal is None:
            return
        self.last_removal = removal
        self.toast.show_message(
            f"Removed “{removal.name}” from this table's library.",
            "Undo",
            lambda: self.undo(removal),
            UNDO_WINDOW_SECONDS * 1000,
        )

    def undo(self, removal: Removal) -> None:
        try:
            work = self.library.undo_work(removal)
        except UndoExpired as late:
            self.show_message(str(late), 10_000)
            return
        self.show_message(f"Bringing back “{removal.name}”…", 0)
        BackgroundOp.run(
            work,
            lambda on_server: self.show_message(self.library.undone(removal, on_server), 10_000),
            lambda error: self.show_message(
                str(error)
                if isinstance(error, UndoExpired)
                else f"Undo failed ({in_words.reason(error)}).",
                15_000,
            ),
        )

    # -- sets ----------------------------------------------------------------------------------

    def add_set(self) -> None:
        """Curated sets are chosen in the catalogue browser, on its Sets tab."""
        self.browse_sets()


def _item(entry: Entry) -> QListWidgetItem:
    asset = entry.asset
    state = "" if entry.on_device else " · mesh not downloaded yet"
    text = f"{asset.name} — {asset.category} · {SOURCES[entry.source]}{state}"
    item = QListWidgetItem(_icon(asset.thumbnail_path), text)
    item.setData(ID_ROLE, asset.id)
    item.setToolTip(text)
    return item


def _icon(thumbnail: Path) -> QIcon:
    """The asset's thumbnail, or a plain cube while it has none on this computer."""
    if thumbnail.is_file():
        return QIcon(QPixmap(str(thumbnail)))
    from terrain_desktop.ui.icons import icon

    return icon("mdi6.cube-outline", "#8a8f98")
