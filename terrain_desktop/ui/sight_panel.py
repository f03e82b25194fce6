"""The line-of-sight panel: a heat map over the table of how much each cell sees, the
deployment zones with their numbers, and what one clicked cell sees.

The sight map is worked out off the GUI thread (`planning.sight`, a few seconds for a dressed
6 x 4 ft table); while "Look from a cell" is on, a click on the table shows that cell's view
instead of selecting pieces.
"""

from collections.abc import Callable

import numpy as np

from terrain_desktop.app import in_words
from terrain_desktop.app.planning import table_layout
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.units import LengthUnit, format_length, from_display, to_display
from terrain_desktop.planning.heatmap import ZONE_COLOURS, colour_ramp
from terrain_desktop.planning.layout import MeshLoader
from terrain_desktop.planning.sight import DEFAULT_EYE, SightMap, sight_map
from terrain_desktop.planning.zones import ZoneLayout, ZoneReport, zone_outlines, zone_report
from terrain_desktop.scene.overlays_sight import SightOverlay
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.checks_panel import DocumentWatcher
from terrain_desktop.ui.qt import (
    QComboBox,
    QDoubleSpinBox,
    QEvent,
    QFormLayout,
    QLabel,
    QMouseEvent,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.viewport import Viewport

SEEN = np.array([90, 200, 90], dtype=np.uint8)
HIDDEN = np.array([40, 40, 48], dtype=np.uint8)
NO_ZONES = "no zones"


class SightPanel(QWidget):
    def __init__(
        self,
        store: LocalStore,
        viewport: Viewport,
        assets: Callable[[str], LibraryAsset | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.viewport = viewport
        self.assets = assets
        self.meshes = MeshLoader()
        self.overlay = SightOverlay(viewport.interactor)
        self.sight: SightMap | None = None
        self.report: ZoneReport | None = None
        self.looking_from: int | None = None
        self._op: BackgroundOp[SightMap] | None = None
        self.watcher = DocumentWatcher(self._changed)

        self.eye = QDoubleSpinBox()
        self.eye.setDecimals(0)  # whole millimetres, as the Checks panel's base size
        self.eye.setRange(5, 300)
        self.eye.setValue(DEFAULT_EYE)
        self.eye.setSuffix(" mm")
        self.unit = LengthUnit.MM
        self.zones = QComboBox()
        self.zones.addItems([z.value for z in ZoneLayout] + [NO_ZONES])
        self.heat_button = QPushButton("Show heat map")
        self.heat_button.setCheckable(True)
        self.look_button = QPushButton("Look from a cell")
        self.look_button.setCheckable(True)
        self.look_button.setEnabled(False)
        self.numbers = QLabel("Heat map off")
        self.numbers.setWordWrap(True)
        self.numbers.setMinimumHeight(self.numbers.fontMetrics().lineSpacing() * 7)
        form = QFormLayout()
        form.addRow("Eye height", self.eye)
        form.addRow("Deployment", self.zones)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.heat_button)
        layout.addWidget(self.look_button)
        layout.addWidget(self.numbers)
        layout.addStretch(1)

        self.heat_button.toggled.connect(self._toggle)
        self.look_button.toggled.connect(self._toggle_look)
        self.eye.valueChanged.connect(lambda _: self.watcher.poke())
        self.zones.currentTextChanged.connect(lambda _: self._show())
        # Installed after the viewport's own filter, so it sees clicks first.
        viewport.interactor.interactor.installEventFilter(self)

    def set_unit(self, unit: LengthUnit) -> None:
        """The eye height typed in the units setting (millimetres or inches)."""
        eye = from_display(self.eye.value(), self.unit)
        self.unit = unit
        self.eye.blockSignals(True)
        self.eye.setDecimals(2 if unit == LengthUnit.INCH else 0)
        self.eye.setRange(to_display(5, unit), to_display(300, unit))
        self.eye.setSingleStep(0.1 if unit == LengthUnit.INCH else 1.0)
        self.eye.setSuffix(f" {unit.value}")
        self.eye.setValue(to_display(eye, unit))
        self.eye.blockSignals(False)

    def show_document(self, doc: TableDocument | None) -> None:
        self.watcher.watch(doc)
        self.heat_button.setChecked(False)
        self._off()

    # -- computing -----------------------------------------------------------------------------

    def _toggle(self, on: bool) -> None:
        if on:
            self._compute()
        else:
            self._off()

    def _changed(self) -> None:
        if self.heat_button.isChecked():
            self._compute()

    def _compute(self) -> None:
        doc = self.watcher.doc
        if doc is None:
            self.heat_button.setChecked(False)
            return
        table = table_layout(self.store, doc.table_id, self.assets, self.meshes)
        eye = from_display(self.eye.value(), self.unit)
        self._cancel()
        self.numbers.setText("Working out the lines of sight…")
        self._op = BackgroundOp.run(
            lambda: sight_map(table, eye=eye),
            self._computed,
            lambda error: self.numbers.setText(f"Line of sight failed: {in_words.reason(error)}"),
            owner=self,
        )

    def _cancel(self) -> None:
        """A newer question, or the map switched off: the answer on its way is not wanted."""
        if self._op is not None:
            self._op.cancel()
            self._op = None

    def _computed(self, result: SightMap) -> None:
        self._op = None
        if self.looking_from is not None and self.looking_from >= result.grid.count:
            self.looking_from = None  # the table was made smaller under the cell
        self.sight = result
        self.look_button.setEnabled(True)
        self._show()

    def _off(self) -> None:
        self._cancel()
        self.sight = None
        self.looking_from = None
        self.look_button.setChecked(False)
        self.look_button.setEnabled(False)
        self.overlay.clear()
        self.numbers.setText("Heat map off")
        self.viewport.render()

    # -- showing -------------------------------------------------------------------------------

    def _show(self) -> None:
        sight = self.sight
        if sight is None:
            return
        grid = sight.grid
        if self.looking_from is None:
            colours = colour_ramp(sight.coverage)
        else:
            seen = sight.seen_from(self.looking_from)
            colours = np.where(seen[:, None], SEEN, HIDDEN).astype(np.uint8)
        self.overlay.show_cells(grid.centres, grid.cell, colours)
        text = [f"A cell sees {sight.coverage.mean():.0%} of the table on average (bright: more)."]
        if self.zones.currentText() == NO_ZONES:
            self.report = None
            self.overlay.show_zones([], [])
        else:
            layout = ZoneLayout(self.zones.currentText())
            self.report = report = zone_report(sight, layout)
            self.overlay.show_zones(
                zone_outlines(layout, grid.width, grid.depth, report.depth), ZONE_COLOURS
            )
            text.append(
                f"Red seen from blue {report.first_seen_by_second:.0%}, blue from red "
                f"{report.second_seen_by_first:.0%}; hidden from both "
                f"{report.hidden_from_both:.0%}; balance {report.balance:.2f}"
            )
        if self.looking_from is not None:
            x, y = grid.centres[self.looking_from]
            share = sight.coverage[self.looking_from]
            where = f"{format_length(x, self.unit)}, {format_length(y, self.unit)}"
            text.append(f"Green: what the cell at {where} sees ({share:.0%}).")
            self.overlay.frame_cell((float(x), float(y)), grid.cell)
        else:
            self.overlay.frame_cell(None, grid.cell)
        self.numbers.setText("\n".join(text))
        self.viewport.render()

    # -- looking from a cell -------------------------------------------------------------------

    def _toggle_look(self, on: bool) -> None:
        if not on and self.looking_from is not None:
            self.looking_from = None
            self._show()

    def look_from(self, x: float, y: float) -> None:
        if self.sight is None:
            return
        cell = self.sight.grid.cell_at(x, y)
        if cell is not None:
            self.looking_from = cell
            self._show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.look_button.isChecked()
            and isinstance(event, QMouseEvent)
            and event.type() == QEvent.Type.MouseButtonPress
            and event.button() == Qt.MouseButton.LeftButton
        ):
            point = self.viewport.table_point(event.position())
            if point is not None:
                self.look_from(*point)
            return True
        return False
