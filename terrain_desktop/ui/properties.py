"""Numeric x, y, z, rotation and scale of the selection; blank where the selection differs.
With nothing selected it says so, and how to select, instead of showing empty boxes."""

from collections.abc import Callable
from typing import cast

from terrain_desktop.domain import commands, group
from terrain_desktop.domain.commands import Command
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.piece import PIECE_FIELDS, FieldName, PieceChanges, PiecesChanged
from terrain_desktop.domain.units import LengthUnit, from_display, to_display
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
    "Nothing selected.\n\nClick a piece on the table to edit it, drag a box on the table "
    "to select several, or drag a piece in from Pieces."
)
LABELS = {"x": "X", "y": "Y", "z": "Z", "rotation": "Rotation (°)", "scale": "Scale"}
LENGTHS: tuple[FieldName, ...] = ("x", "y", "z")
#: With several pieces selected, X and Y are the group's centre, and move the group as one.
PLACE: tuple[FieldName, ...] = ("x", "y")


class PropertiesPanel(QWidget):
    def __init__(
        self,
        push: Callable[[Command], object],
        parent: QWidget | None = None,
        each_in_place: Callable[[], bool] = lambda: False,
    ) -> None:
        """`each_in_place`: whether a group's new rotation turns each piece about its own
        centre (the Edit menu's setting) rather than the group about its centre."""
        super().__init__(parent)
        self.push = push
        self.each_in_place = each_in_place
        self.unit = LengthUnit.MM
        self.labels: dict[FieldName, QLabel] = {}
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
            self.labels[name] = QLabel(LABELS[name])
            form.addRow(self.labels[name], box)
        self.form_box.setEnabled(False)
        self.set_unit(self.unit)

    def set_unit(self, unit: LengthUnit) -> None:
        """Positions shown and typed in the units setting (millimetres or inches)."""
        self.unit = unit
        for name in LENGTHS:
            low, high, decimals = RANGES[name]
            box = self.fields[name]
            box.blockSignals(True)
            box.setDecimals(2 if unit == LengthUnit.INCH else decimals)
            box.setRange(to_display(low, unit), to_display(high, unit))
            box.setSingleStep(0.25 if unit == LengthUnit.INCH else 1.0)
            box.blockSignals(False)
            self.labels[name].setText(f"{LABELS[name]} ({unit.value})")
        self.refresh()

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
        centre = group.centre(self.doc, self.doc.selection) if self.doc else (0.0, 0.0)
        for name, box in self.fields.items():
            shown = (lambda v: to_display(v, self.unit)) if name in LENGTHS else float
            values = {round(shown(p.value(name)), 3) for p in selected}
            if len(selected) > 1 and name in PLACE:  # a group: where its centre is
                values = {round(shown(centre[PLACE.index(name)]), 3)}
            box.blockSignals(True)  # showing the model is not an edit
            box.setValue(values.pop() if len(values) == 1 else box.minimum())
            box.blockSignals(False)

    def _edited(self, name: FieldName, value: float) -> None:
        if self.doc is None or not self.doc.selection or value == self.fields[name].minimum():
            return
        selection = set(self.doc.selection)
        turns = {self.doc.pieces[i].rotation for i in selection}
        if (
            name == "rotation"
            and len(selection) > 1
            and len(turns) == 1
            and not self.each_in_place()
        ):
            # A group facing one way turns as one body about its centre, as the ring does.
            change = commands.turn_group(self.doc, selection, value - turns.pop())
            self.push(change)
            return
        if name in LENGTHS:
            value = from_display(value, self.unit)
        if name in PLACE and len(selection) > 1:
            # A group moves as one: its centre goes to the value, its shape kept.
            centre = group.centre(self.doc, selection)
            shift = value - centre[PLACE.index(name)]
            anchor = self.doc.pieces[sorted(selection)[0]]
            x, y = (
                anchor.x + (shift if name == "x" else 0.0),
                anchor.y + (shift if name == "y" else 0.0),
            )
            self.push(commands.move_group(self.doc, selection, anchor.id, x, y))
            return
        changes = cast(PieceChanges, {name: value})
        self.push(commands.set_fields(self.doc, selection, changes))
