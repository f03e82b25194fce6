"""My models: the artist's uploads in every state, how often each is viewed, used and sold,
and publishing, unpublishing and editing them. Every call runs in the background."""

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from terrain_desktop.app.artist import ArtistOperation, NotSignedIn
from terrain_desktop.domain.money import format_money
from terrain_desktop.sync.artist_client import ArtistClient
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRegularExpression,
    QRegularExpressionValidator,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.upload_wizard import PRICE_PATTERN, error_text, licence_choice
from terrain_protocol.catalogue import CATEGORIES, AssetOut, AssetUpdate, OwnModelOut

T = TypeVar("T")
COLUMNS = ["Name", "State", "Price", "Views", "Uses", "Sales"]


def state_text(model: OwnModelOut) -> str:
    if model.processing_state == "processing":
        return "processing…"
    if model.processing_state == "failed":
        return f"failed: {model.processing_error}"
    return model.status


class EditModelDialog(QDialog):
    """The fields an artist can change after uploading."""

    def __init__(self, model: OwnModelOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {model.name}")
        self.name = QLineEdit(model.name)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(CATEGORIES)
        self.category.setCurrentText(model.category or "other")
        self.tags = QLineEdit(", ".join(model.tags))
        self.price = QLineEdit(f"{model.base_price:.2f}")
        self.price.setValidator(QRegularExpressionValidator(QRegularExpression(PRICE_PATTERN)))
        self.licence = licence_choice(model.licence)
        self.description = QPlainTextEdit(model.description or "")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Category", self.category)
        form.addRow("Tags", self.tags)
        form.addRow("Price (USD)", self.price)
        form.addRow("Licence", self.licence)
        form.addRow("Description", self.description)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def changes(self) -> AssetUpdate:
        return AssetUpdate(
            name=self.name.text().strip(),
            category=self.category.currentText().strip().lower() or None,
            tags=[t.strip() for t in self.tags.text().split(",") if t.strip()],
            base_price=Decimal(self.price.text().strip() or "0").quantize(Decimal("0.01")),
            licence=self.licence.currentData(),
            description=self.description.toPlainText().strip(),
        )


class MyModelsDialog(QDialog):
    def __init__(
        self,
        operation: ArtistOperation,
        parent: QWidget | None = None,
        select: uuid.UUID | None = None,
    ) -> None:
        super().__init__(parent)
        self.operation = operation
        self.preselect = select
        self.setWindowTitle("My models")
        self.models: list[OwnModelOut] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.publish = QPushButton("Publish")
        self.unpublish = QPushButton("Unpublish")
        self.edit = QPushButton("Edit…")
        self.refresh = QPushButton("Refresh")
        buttons = QHBoxLayout()
        for button in (self.publish, self.unpublish, self.edit):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        column.addWidget(self.status)
        self.publish.clicked.connect(lambda: self._change(ArtistClient.publish, "Published"))
        self.unpublish.clicked.connect(lambda: self._change(ArtistClient.unpublish, "Unpublished"))
        self.edit.clicked.connect(self._edit)
        self.refresh.clicked.connect(self.load)
        self.table.itemSelectionChanged.connect(self._allow)
        self.busy = False
        self.note = ""
        self.resize(860, 420)
        self._allow()
        self.load()

    def selected(self) -> OwnModelOut | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    def select(self, asset_id: uuid.UUID) -> None:
        for row, model in enumerate(self.models):
            if model.id == asset_id:
                self.table.selectRow(row)

    def _allow(self) -> None:
        model = self.selected()
        ready = model is not None and model.processing_state == "ready" and not self.busy
        self.publish.setEnabled(ready and model is not None and model.status != "published")
        self.unpublish.setEnabled(ready and model is not None and model.status == "published")
        self.edit.setEnabled(model is not None and not self.busy)
        self.refresh.setEnabled(not self.busy)

    def load(self) -> None:
        self._run(lambda client: client.my_models(), self._show, "Loading your models…")

    def _run(self, call: Callable[[ArtistClient], T], done: Callable[[T], None], note: str) -> None:
        """`call` in the background with the account's client; `done` with its answer."""
        try:
            work = self.operation.work(call)
        except NotSignedIn as error:
            self._failed(error)
            return
        self.busy = True
        self._allow()
        self.status.setText(note)
        BackgroundOp.run(work, done, self._failed)

    def _show(self, models: list[OwnModelOut]) -> None:
        chosen = self.selected()
        chosen_id = chosen.id if chosen is not None else self.preselect
        self.busy = False
        self.models = models
        self.table.setRowCount(len(models))
        for row, model in enumerate(models):
            values = [
                model.name,
                state_text(model),
                format_money(model.base_price),
                str(model.view_count),
                str(model.use_count),
                str(model.paid_sales),
            ]
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        summary = (
            f"{len(models)} model(s). Sales count copies on paid orders."
            if models
            else "No models yet: use Artist → Upload a model…"
        )
        self.status.setText(f"{self.note} {summary}".strip())
        self.note = ""
        if chosen_id is not None:
            self.select(chosen_id)
        self._allow()

    def _change(self, call: Callable[[ArtistClient, uuid.UUID], AssetOut], verb: str) -> None:
        model = self.selected()
        if model is None:
            return
        asset_id = model.id
        self._run(lambda client: call(client, asset_id), self._changed, f"{verb[:-2]}ing…")

    def _edit(self) -> None:
        model = self.selected()
        if model is None:
            return
        dialog = EditModelDialog(model, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        update, asset_id = dialog.changes(), model.id
        self._run(lambda client: client.update(asset_id, update), self._changed, "Saving…")

    def _changed(self, asset: AssetOut) -> None:
        self.busy = False
        self.note = f"{asset.name}: {asset.status}."
        self.load()

    def _failed(self, error: Exception) -> None:
        self.busy = False
        self._allow()
        self.status.setText(error_text(error))
