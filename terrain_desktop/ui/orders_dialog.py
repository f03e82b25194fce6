"""My orders: the account's orders, newest first, and a paid order's files downloaded with
progress (and a cancel) into a folder the user picks."""

from pathlib import Path
from typing import cast

from platformdirs import user_downloads_dir

from terrain_desktop.app import in_words
from terrain_desktop.app.shopping import NotSignedIn, Shop
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from terrain_protocol.orders import PAID_ORDER_STATUSES, OrderOut

STATUS_WORDS = {
    "pending": "waiting for payment",
    "paid": "paid",
    "fulfilled": "fulfilled",
    "cancelled": "cancelled",
    "refunded": "refunded",
    "partially_refunded": "partly refunded",
}


class OrdersDialog(QDialog):
    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle("My orders")
        self.resize(640, 420)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Order", "Date", "Status", "Total"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.folder = QLineEdit(str(Path(user_downloads_dir()) / "Terrain Builder"))
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Save files to"))
        folder_row.addWidget(self.folder)
        folder_row.addWidget(choose)
        self.download_button = QPushButton("Download files")
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self.download)
        self.cancel_button = QPushButton("Cancel download")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("Asking the server for your orders…")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.download_button)
        actions.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(folder_row)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.orders: list[OrderOut] = []
        self.downloading: BackgroundOp[list[Path]] | None = None
        self.saved: list[Path] = []
        self.refresh()

    def refresh(self) -> None:
        try:
            work = self.shop.orders_work()
        except NotSignedIn as why:
            self.status.setText(str(why))
            return
        BackgroundOp.run(work, self._listed, self._failed)

    def _listed(self, orders: list[OrderOut]) -> None:
        self.orders = orders
        self.table.setRowCount(len(orders))
        for row, order in enumerate(orders):
            cells = [
                order.order_number,
                order.created_at.strftime("%Y-%m-%d %H:%M"),
                STATUS_WORDS.get(order.status, order.status),
                f"{order.total:.2f} {order.currency.upper()}",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.status.setText(
            f"{len(orders)} order(s). Select a paid one to download its files."
            if orders
            else "No orders yet."
        )

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Could not list your orders: {_reason(error)}")

    def selected(self) -> OrderOut | None:
        rows = self.table.selectionModel().selectedRows()
        return self.orders[rows[0].row()] if rows else None

    def select(self, order_number: str) -> None:
        for row, order in enumerate(self.orders):
            if order.order_number == order_number:
                self.table.selectRow(row)

    def _selected(self) -> None:
        order = self.selected()
        paid = order is not None and order.status in PAID_ORDER_STATUSES and bool(order.files)
        self.download_button.setEnabled(paid and self.downloading is None)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save files to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def download(self) -> None:
        order = self.selected()
        if order is None:
            return
        work = self.shop.download_work(order, Path(self.folder.text()) / order.order_number)

        def run(context: OpContext) -> list[Path]:
            return work(lambda: context.cancelled, context.report)

        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.download_button.setEnabled(False)
        self.status.setText(f"Downloading the files of order {order.order_number}…")
        self.downloading = BackgroundOp(run, self._downloaded, self._download_failed, self._step)
        self.downloading.start()

    def _step(self, progress: object) -> None:
        done, total = cast(tuple[int, int], progress)
        self.progress.setRange(0, max(int(total), 1))
        self.progress.setValue(int(done))

    def _downloaded(self, paths: list[Path]) -> None:
        self._finished()
        self.saved = paths
        where = paths[0].parent if paths else Path(self.folder.text())
        self.status.setText(f"Saved {len(paths)} file(s) in {where}.")

    def _download_failed(self, error: Exception) -> None:
        self._finished()
        self.status.setText(f"The download failed: {_reason(error)}")

    def cancel_download(self) -> None:
        if self.downloading is None:
            return
        self.downloading.cancel()
        self._finished()
        self.status.setText("Download cancelled; no partial file is left behind.")

    def _finished(self) -> None:
        self.downloading = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._selected()


def _reason(error: Exception) -> str:
    return in_words.reason(error)
