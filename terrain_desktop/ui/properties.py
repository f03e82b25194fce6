"""Numeric x, y, z, rotation and scale of the selection; blank where the selection differs."""

from collections.abc import Callable
from typing import cast

from terrain_desktop.domain import commands
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import PIECE_FIELDS, FieldName, PieceChanges, PiecesChanged
from terrain_desktop.ui.qt import QDoubleSpinBox, QFormLayout, QWidget
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
LABELS = {"x": "X (mm)", "y": "Y (mm)", "z": "Z (mm)", "rotation": "Rotation (°)", "scale": "Scale"}


class PropertiesPanel(QWidget):
    def __init__(self, push: Callable[[Command], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.doc: TableDocument | None = None
        self.fields: dict[FieldName, QDoubleSpinBox] = {}
        form = QFormLayout(self)
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
        self.setEnabled(False)

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
        self.setEnabled(bool(selected))
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
