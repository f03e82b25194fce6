"""Confirming an imported model's name and units before it joins the library, with the
model shown in 3D at the chosen units on a 25 mm grid beside the choice."""

from collections.abc import Callable
from pathlib import Path

from terrain_desktop.app.editor import Editor
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.meshes import importer
from terrain_desktop.meshes.importer import Inspection
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from terrain_meshes.analysis import MM_PER_UNIT, Units

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
        self.size_label = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        columns = QHBoxLayout(self)
        self.preview = None
        if inspection.preview is not None:
            from terrain_desktop.ui.import_preview import ImportPreview

            self.preview = ImportPreview(*inspection.preview, self)
            columns.addWidget(self.preview, 3)
        side = QWidget()
        columns.addWidget(side, 2)
        form = QFormLayout(side)
        form.addRow("Name", self.name)
        form.addRow("Drawn in", self.units)
        form.addRow("Size", self.size_label)
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.resize(820, 420)
        self.units.currentIndexChanged.connect(self._show_size)
        self._show_size()

    def done(self, result: int) -> None:
        if self.preview is not None:  # its GL window goes with the dialog
            self.preview.close()
        super().done(result)

    def chosen_units(self) -> Units:
        return Units(self.units.currentData())

    def _show_size(self) -> None:
        x, y, z = self.inspection.size_mm(self.chosen_units())
        self.size_label.setText(
            f"{x:.1f} × {y:.1f} × {z:.1f} mm · {self.inspection.triangles:,} triangles\n"
            f"{x / 25:.1f} × {y / 25:.1f} squares of the 25 mm grid"
        )
        if self.preview is not None:
            self.preview.show_at(MM_PER_UNIT[self.chosen_units()])
        guessed = UNIT_NAMES[self.inspection.guessed_units]
        self.hint.setText(
            f"Its size suggests it was drawn in {guessed}. Check the size looks right for "
            "28–32 mm miniatures before importing."
        )


class ImportFlow:
    """Read the file, ask for name and units, import it: the slow steps in the background."""

    def __init__(
        self,
        parent: QWidget,
        editor: Editor,
        folder: Path,
        show: Callable[[str, int], None],
    ) -> None:
        self.parent = parent
        self.editor = editor
        self.folder = folder
        self.show = show

    def start(self, path: Path) -> None:
        self.show(f"Reading {path.name}…", 0)
        BackgroundOp.run(lambda: importer.inspect(path), self._confirm, self._failed)

    def _confirm(self, inspection: Inspection) -> None:
        dialog = ImportDialog(inspection, self.parent)
        if dialog.exec() != ImportDialog.DialogCode.Accepted:
            self.show("", 0)
            return
        units, name = dialog.chosen_units(), dialog.name.text().strip() or inspection.name
        self.show(f"Importing {name}…", 0)
        store, folder = self.editor.store, self.folder
        BackgroundOp.run(
            lambda: importer.import_model(store, inspection, units, name, folder),
            self._imported,
            self._failed,
        )

    def _imported(self, asset: LibraryAsset) -> None:
        self.editor.imported(asset)
        self.show(f"Imported {asset.name}: it is in this table's pieces.", 8000)

    def _failed(self, error: Exception) -> None:
        self.show("", 0)
        QMessageBox.warning(self.parent, "Cannot import this file", str(error))
