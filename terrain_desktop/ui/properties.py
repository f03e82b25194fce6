"""Numeric x, y, z, rotation and scale of the selection; blank where the selection differs.
With nothing selected it says so, and how to select, instead of showing empty boxes."""

from collections.abc import Callable
from typing import cast

from terrain_desktop.domain import commands
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import PIECE_FIELDS, FieldName, PieceChanges, PiecesChanged
from terrain_desktop.ui.qt import QDoubleSpinBox, QFormLayout, QLabel, Qt, QVBoxLayout, QWidget
from terrain_protocol.tables import MAX_COORDINATE_MM, MAX_ROTATION_DEGREES, MAX_SCALE

#: What the protocol accepts (the server validates the same). Each box's minimum is kept
#: for "mixed values", shown blank, so the lowest value a user types is one step above it.
RANGES: dict[FieldName, tuple[float, float, int]] = {
    "x": (-MAX_COORDINATE_MM, MAX_COORDINATE_MM, 1),
    "y": (-MAX_COORDINATE_MM, MAX_COORDINATE_MM, 1),
    "z": (-MAX_COORDINATE_MM, MAX_COORDINATE_MM, 1),
    "rotation": (-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES, 1),
    "scale": (0.0, MAX_SCALE, 2),
}
NOTHING_SELECTED = (
    "Nothing selected.\n\nClick a piece on the table to edit it, Shift-drag to select "
    "several, or drag a piece in from Pieces."
)
LABELS = {"x": "X (mm)", "y": "Y (mm)", "z": "Z (mm)", "rotation": "Rotation (°)", "scale": "Scale"}


class PropertiesPanel(QWidget):
    def __init__(self, push: Callable[[Command], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.doc: TableDocument | None = None
        self.fields: dict[FieldName, QDoubleSpinBox] = {}
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
            self.doc.pieces_changed.disconnect(self._pieces_changed)
        self.doc = doc
        if doc is not None:
            doc.selection_changed.connect(self.refresh)
            doc.pieces_changed.connect(self._pieces_changed)
        self.refresh()

    def _pieces_changed(self, event: PiecesChanged) -> None:
        if self.doc is not None and event.changed & self.doc.selection:
            self.refresh()

    def refresh(self, _: None = None) -> None:
        selected = (
            [] if self.doc is None else [self.doc.pieces[i] for i in sorted(self.doc.selection)]
        )
        self.form_box.setEnabled(bool(selected))
        self.form_box.setVisible(bool(selected))
        self.empty.setVisible(not selected)
        self.heading.setVisible(bool(selected))
        if selected and self.doc is not None:
            asset = self.doc.asset(selected[0].asset_id)
            lone = asset.name if asset is not None else "1 piece"
            if asset is not None and asset.preview:
                lone = f"{lone} (preview)"
            self.heading.setText(lone if len(selected) == 1 else f"{len(selected)} pieces")
        for name, box in self.fields.items():
            values = {round(p.value(name), 3) for p in selected}
            box.blockSignals(True)  # showing the model is not an edit
            box.setValue(values.pop() if len(values) == 1 else box.minimum())
            box.blockSignals(False)

    def _edited(self, name: FieldName, value: float) -> None:
        if self.doc is None or not self.doc.selection or value == self.fields[name].minimum():
            return
        changes = cast(PieceChanges, {name: value})
        self.push(commands.set_fields(self.doc, set(self.doc.selection), changes))
