"""Confirming an imported model's name and units before it joins the library."""

from terrain_desktop.meshes.importer import Inspection
from terrain_desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from terrain_meshes.analysis import Units

UNIT_NAMES = {Units.MM: "millimetres", Units.CM: "centimetres", Units.INCH: "inches"}


class ImportDialog(QDialog):
    def __init__(self, inspection: Inspection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import model")
        self.inspection = inspection
        self.name = QLineEdit(inspection.name)
        self.units = QComboBox()
        for unit, label in UNIT_NAMES.items():
            self.units.addItem(label, unit)
        self.units.setCurrentIndex(list(UNIT_NAMES).index(inspection.guessed_units))
        self.size = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Drawn in", self.units)
        form.addRow("Size", self.size)
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.units.currentIndexChanged.connect(self._show_size)
        self._show_size()

    def chosen_units(self) -> Units:
        return Units(self.units.currentData())

    def _show_size(self) -> None:
        x, y, z = self.inspection.size_mm(self.chosen_units())
        self.size.setText(
            f"{x:.1f} × {y:.1f} × {z:.1f} mm · {self.inspection.triangles:,} triangles"
        )
        guessed = UNIT_NAMES[self.inspection.guessed_units]
        self.hint.setText(
            f"Its size suggests it was drawn in {guessed}. Check the size looks right for "
            "28–32 mm miniatures before importing."
        )
