"""File → Print plan (3MF plates)…: asks the printer and a folder, lays the open table's owned
pieces out on plates (`app.print_plans`, as `terrain-desktop print-plan` does), and shows the
summary; pieces not owned can go into the cart from there."""

from pathlib import Path

from terrain_desktop.app.print_plans import PrintPlanResult, add_to_cart, make_print_plan
from terrain_desktop.app.shell import AppShell
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS
from terrain_desktop.ui.qt import QFileDialog, QInputDialog, QMessageBox, QWidget


def print_plan(
    parent: QWidget, shell: AppShell, table_id: str, folder: str | None = None
) -> PrintPlanResult | None:
    names = sorted(PRINTERS)
    printer, ok = QInputDialog.getItem(
        parent, "Print plan", "Printer:", names, names.index(DEFAULT_PRINTER), False
    )
    if not ok:
        return None
    if not folder:
        folder = QFileDialog.getExistingDirectory(parent, "Folder for the plates (3MF)")
    if not folder:
        return None
    result = make_print_plan(
        shell.store, table_id, shell.catalogue, PRINTERS[printer], Path(folder)
    )
    box = QMessageBox(parent)
    box.setWindowTitle("Print plan")
    box.setText("\n".join(result.lines()))
    cart = None
    if result.buy_first:
        cart = box.addButton("Add the pieces to buy to the cart", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if cart is not None and box.clickedButton() is cart:
        add_to_cart(shell.shop.cart, result.buy_first)
    return result
