"""The bill of materials on screen: each asset of a table with its count and its mark
(owned, free, to buy with its price), and one button that puts exactly the missing pieces in
the cart.

`BomTable` is the marks alone, for any view that shows a table's pieces (a shared table
opened by its code, a clone); `show_bill_of_materials` opens the whole dialog for any list of
pieces' asset ids.
"""

from collections.abc import Callable, Iterable

from terrain_desktop.app import in_words
from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.shopping import PricedBill, Shop
from terrain_desktop.domain.bill_of_materials import BillOfMaterials, Mark
from terrain_desktop.domain.money import format_money
from terrain_desktop.domain.units import format_size
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import (
    QAbstractItemView,
    QColor,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QIcon,
    QLabel,
    QPixmap,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

MARK_COLOURS = {
    Mark.OWNED: "#2e7d32",
    Mark.FREE: "#1565c0",
    Mark.TO_BUY: "#b71c1c",
    Mark.UNAVAILABLE: "#757575",
}
ASSET_ROLE = Qt.ItemDataRole.UserRole


class BomTable(QTableWidget):
    """One row per asset: name, size (in the units setting), pieces, mark, price of one, what
    it adds to the cart. The size is what a buyer checks against the table and the printer; it
    is blank for an asset this computer has not seen yet."""

    HEADERS = ("Asset", "Size", "Pieces", "Mark", "Price", "To pay")
    NUMBERS = (2, 4, 5)  # right-aligned

    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.shop = shop
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_bill(self, bom: BillOfMaterials) -> None:
        unit = self.shop.sync.preferences.get(prefs.LENGTH_UNIT)  # View ▸ Show inches
        self.setRowCount(len(bom.lines))
        for row, line in enumerate(bom.lines):
            name = QTableWidgetItem(line.name)
            name.setData(ASSET_ROLE, line.asset_id)
            local = self.shop.catalogue.get(line.asset_id)
            if local is not None:
                name.setIcon(QIcon(QPixmap(str(local.thumbnail_path))))
            if line.artist_name:
                name.setToolTip(f"{line.name} by {line.artist_name}")
            mark = QTableWidgetItem(line.mark.value)
            mark.setForeground(QColor(MARK_COLOURS[line.mark]))
            price = "" if line.unit_price is None else format_money(line.unit_price)
            to_pay = format_money(line.to_pay) if line.mark == Mark.TO_BUY else ""
            size = "" if local is None else format_size(local.size_mm, unit)
            cells = [name, QTableWidgetItem(size), QTableWidgetItem(str(line.count)), mark]
            cells += [QTableWidgetItem(price), QTableWidgetItem(to_pay)]
            for column, cell in enumerate(cells):
                if column in self.NUMBERS:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, column, cell)

    def mark_of(self, asset_id: str) -> str | None:
        """The mark shown for an asset (None when it has no row)."""
        return self.cell_of(asset_id, "Mark")

    def cell_of(self, asset_id: str, header: str) -> str | None:
        """The text under `header` in an asset's row (None when it has no row)."""
        column = self.HEADERS.index(header)
        for row in range(self.rowCount()):
            name, cell = self.item(row, 0), self.item(row, column)
            if name is not None and cell is not None and name.data(ASSET_ROLE) == asset_id:
                return cell.text()
        return None


class BillOfMaterialsDialog(QDialog):
    def __init__(
        self, shop: Shop, asset_ids: Iterable[str], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle(f"Pieces of {title}")
        self.resize(720, 480)
        self.summary = QLabel("Asking the server for prices…")
        self.summary.setWordWrap(True)
        self.table = BomTable(shop)
        self.add_button = QPushButton("Add the missing pieces to the cart")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_missing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.add_button)
        layout.addWidget(buttons)
        self.bill: BillOfMaterials | None = None
        self.loading: BackgroundOp[PricedBill] | None = BackgroundOp.run(
            shop.bill_work(list(asset_ids)), self._loaded, self._failed
        )

    def _loaded(self, priced: PricedBill) -> None:
        self.loading = None
        self.bill = self.shop.apply_bill(priced)
        self.table.show_bill(self.bill)
        self.summary.setText(self.bill.summary())
        self.add_button.setEnabled(bool(self.bill.to_buy()))

    def _failed(self, error: Exception) -> None:
        self.loading = None
        reason = in_words.reason(error)
        self.summary.setText(f"Could not ask the server for prices: {reason}")

    def add_missing(self) -> None:
        if self.bill is None:
            return
        added = self.shop.add_missing(self.bill)
        self.summary.setText(
            f"Added {len(added)} asset(s) to the cart. {self.bill.summary()}"
            if added
            else "The cart already holds every piece this table still needs."
        )

    def done(self, result: int) -> None:
        if self.loading is not None:
            self.loading.cancel()
        super().done(result)


class TableCosts(QWidget):
    """One line saying what some pieces would cost this user (asked of the server when made),
    and a button to their whole bill: for a shared table before it is cloned."""

    def __init__(
        self,
        shop: Shop,
        asset_ids: Iterable[str],
        open_bill: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.shop = shop
        self.summary = QLabel("Asking the server what these pieces would cost you…")
        self.summary.setWordWrap(True)
        self.button = QPushButton("Pieces and prices…")
        self.button.clicked.connect(lambda: open_bill())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.button)
        self.bill: BillOfMaterials | None = None
        BackgroundOp.run(shop.bill_work(list(asset_ids)), self._priced, self._failed)

    def _priced(self, priced: PricedBill) -> None:
        self.bill = self.shop.apply_bill(priced)
        self.summary.setText(self.bill.summary())

    def _failed(self, error: Exception) -> None:
        reason = in_words.reason(error)
        self.summary.setText(f"What these pieces cost you is unknown for now: {reason}")


def show_bill_of_materials(
    shop: Shop, asset_ids: Iterable[str], title: str, parent: QWidget | None = None
) -> BillOfMaterialsDialog:
    """Open the bill of materials of any pieces (one asset id per piece): the open table, a
    shared table opened by its code, or a clone before it is made."""
    dialog = BillOfMaterialsDialog(shop, asset_ids, title, parent)
    dialog.show()
    return dialog
