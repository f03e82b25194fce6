"""Numeric x, y, z, rotation and scale of the selection; blank where the selection differs.
With nothing selected it says so, and how to select, instead of showing empty boxes."""

from collections.abc import Callable

from terrain_desktop.domain import commands
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import PIECE_FIELDS, TableDocument
from terrain_desktop.ui.qt import QDoubleSpinBox, QFormLayout, QLabel, Qt, QVBoxLayout, QWidget

RANGES = {
    "x": (-5000.0, 15000.0, 1),
    "y": (-5000.0, 15000.0, 1),
    "z": (-1000.0, 5000.0, 1),
    "rotation": (-360.0, 720.0, 1),
    "scale": (0.05, 20.0, 2),
}
NOTHING_SELECTED = (
    "Nothing selected.\n\nClick a piece on the table to edit it, Shift-drag to select "
    "several, or drag a piece in from Pieces."
)
LABELS = {"x": "X (mm)", "y": "Y (mm)", "z": "Z (mm)", "rotation": "Rotation (°)", "scale": "Scale"}


class PropertiesPanel(QWidget):
    def __init__(self, push: Callable[[Command], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.doc: TableDocument | None = None
        self.fields: dict[str, QDoubleSpinBox] = {}
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold")
        self.empty = QLabel(NOTHING_SELECTED)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); padding: 12px")
        self.form_box = QWidget()
        outer = QVBoxLayout(self)
        for widget in (self.heading, self.empty, self.form_box):
            outer.addWidget(widget)
        outer.addStretch(1)
        form = QFormLayout(self.form_box)
        for name in PIECE_FIELDS:
            low, high, decimals = RANGES[name]
            box = QDoubleSpinBox()
            box.setRange(low, high)
            box.setDecimals(decimals)
            box.setKeyboardTracking(False)  # one edit per committed value, not per keystroke
            box.setSpecialValueText(" ")  # the minimum shows blank: "mixed values"
            box.valueChanged.connect(lambda value, name=name: self._edited(name, value))
            self.fields[name] = box
            form.addRow(LABELS[name], box)
        self.form_box.setEnabled(False)

    def show_document(self, doc: TableDocument | None) -> None:
        if self.doc is not None:
            self.doc.selection_changed.disconnect(self.refresh)
            self.doc.piece_changed.disconnect(self._piece_changed)
        self.doc = doc
        if doc is not None:
            doc.selection_changed.connect(self.refresh)
            doc.piece_changed.connect(self._piece_changed)
        self.refresh()

    def _piece_changed(self, piece_id: str) -> None:
        if self.doc is not None and piece_id in self.doc.selection:
            self.refresh()

    def refresh(self) -> None:
        selected = (
            [] if self.doc is None else [self.doc.pieces[i] for i in sorted(self.doc.selection)]
        )
        self.form_box.setEnabled(bool(selected))
        self.form_box.setVisible(bool(selected))
        self.empty.setVisible(not selected)
        self.heading.setVisible(bool(selected))
        if selected and self.doc is not None:
            asset = self.doc.asset(selected[0]["modelId"])
            lone = asset.name if asset is not None else "1 piece"
            self.heading.setText(lone if len(selected) == 1 else f"{len(selected)} pieces")
        for name, box in self.fields.items():
            values = {round(float(commands.fields_of(p)[name]), 3) for p in selected}
            box.blockSignals(True)  # showing the model is not an edit
            box.setValue(values.pop() if len(values) == 1 else box.minimum())
            box.blockSignals(False)

    def _edited(self, name: str, value: float) -> None:
        if self.doc is None or not self.doc.selection or value == self.fields[name].minimum():
            return
        self.push(commands.set_fields(self.doc, set(self.doc.selection), {name: value}))
