"""My tables: open, make from a preset, rename, archive. Each table shows a thumbnail of how
it last looked, its size and how many pieces stand on it."""

from collections.abc import Callable
from pathlib import Path

from terrain_desktop.domain.presets import PRESETS
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QIcon,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QSize,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)
from terrain_protocol.plans import DEFAULT_MAX_ASSETS
from terrain_protocol.tables import MAX_TABLE_MM, MIN_TABLE_MM

CUSTOM = "Custom…"
THUMB_W, THUMB_H = 96, 64


class NewTableDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New table")
        self.name = QLineEdit("New table")
        self.preset = QComboBox()
        self.preset.addItems([p.name for p in PRESETS] + [CUSTOM])
        self.width_mm = QSpinBox(minimum=MIN_TABLE_MM, maximum=MAX_TABLE_MM, suffix=" mm")
        self.depth_mm = QSpinBox(minimum=MIN_TABLE_MM, maximum=MAX_TABLE_MM, suffix=" mm")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Size", self.preset)
        form.addRow("Width", self.width_mm)
        form.addRow("Depth", self.depth_mm)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self._preset_chosen(self.preset.currentText())

    def _preset_chosen(self, name: str) -> None:
        preset = next((p for p in PRESETS if p.name == name), None)
        custom = preset is None
        self.width_mm.setEnabled(custom)
        self.depth_mm.setEnabled(custom)
        if preset is not None:
            self.width_mm.setValue(preset.width_mm)
            self.depth_mm.setValue(preset.depth_mm)

    def values(self) -> tuple[str, int, int]:
        name = self.name.text().strip() or "New table"
        return name, self.width_mm.value(), self.depth_mm.value()


class TablesPanel(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    rename_requested = Signal(str)
    archive_requested = Signal(str)
    archived_requested = Signal()

    def __init__(self, thumbnails: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_label = QLabel()
        self.plan_label.setObjectName("plan")
        self.plan_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setIconSize(QSize(THUMB_W, THUMB_H))
        self.list.setSpacing(3)
        #: Where the window keeps each table's thumbnail (`<table id>.png`), if anywhere.
        self.thumbnails = thumbnails
        self.new_button = QPushButton("New table…")
        self.rename_button = QPushButton("Rename…")
        self.archive_button = QPushButton("Archive")
        self.archived_button = QPushButton("Archived…")
        self.archived_button.setToolTip("Archived tables, to restore")
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.rename_button,
            self.archive_button,
            self.archived_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(self._id(item)))
        self.list.itemClicked.connect(lambda item: self.open_requested.emit(self._id(item)))
        self.new_button.clicked.connect(self.new_requested.emit)
        self.archived_button.clicked.connect(self.archived_requested.emit)
        self.rename_button.clicked.connect(self._with_current(self.rename_requested))
        self.archive_button.clicked.connect(self._with_current(self.archive_requested))

    def show_plan(self, text: str, full: bool) -> None:
        """Who is signed in, the plan and how many of its tables are in use."""
        self.plan_label.setText(text)
        self.plan_label.setStyleSheet("color: #b0641a" if full else "")
        self.plan_label.setToolTip(
            "Archive a table to make room for another." if full else "Tables you can still make."
        )

    def _with_current(self, signal: SignalInstance) -> Callable[[], None]:
        def emit() -> None:
            item = self.list.currentItem()
            if item is not None:
                signal.emit(self._id(item))

        return emit

    @staticmethod
    def _id(item: QListWidgetItem) -> str:
        return str(item.data(Qt.ItemDataRole.UserRole))

    def show_tables(self, store: LocalStore, current: str | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for table in store.tables():
            count = len(store.placements(table.id))
            item = QListWidgetItem(self._label(table, count))
            item.setData(Qt.ItemDataRole.UserRole, table.id)
            thumb = self.thumbnails / f"{table.id}.png" if self.thumbnails else None
            if thumb is not None and thumb.exists():
                item.setIcon(QIcon(QPixmap(str(thumb))))
            limit = table.max_assets or DEFAULT_MAX_ASSETS
            if count > limit:  # made by an older version: kept whole, no more pieces fit
                item.setToolTip(
                    f"Over the limit: {count} pieces, a table holds at most {limit}. "
                    "It is kept whole; delete pieces to add others."
                )
            elif table.sync_error:
                item.setToolTip(f"Not synced: {table.sync_error}")
            self.list.addItem(item)
            if table.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    @staticmethod
    def _label(table: LocalTable, pieces: int) -> str:
        mark = "  ⚠" if table.sync_state == "rejected" else ""
        noun = "piece" if pieces == 1 else "pieces"
        over = " (over the limit)" if pieces > (table.max_assets or DEFAULT_MAX_ASSETS) else ""
        return f"{table.name}{mark}\n{table.width} × {table.depth} mm · {pieces} {noun}{over}"
