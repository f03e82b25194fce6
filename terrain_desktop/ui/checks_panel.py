"""The checks panel: what is wrong with the open table, kept up to date as it is edited.

Each entry names the pieces it is about; clicking it selects them. The same pieces get a red
mark in the view. The work is `terrain_desktop.planning.checks`, the same as `terrain-desktop
check` prints. It runs off the GUI thread (a dressed table of 1,000 pieces takes a second or
more), one check at a time: edits made meanwhile are checked when it ends. The GUI thread only
reads the table's placements from the store; reading the pieces' meshes (trimesh, the first
time each asset is seen), checking and outlining the flagged pieces for their marks are the
worker's. After an edit the worker checks again only what the edit can have changed
(`planning/check_cache.py`): a move on a crowded 1,000-piece table is re-checked in
milliseconds instead of a second that the next move would compete with for the CPU.
"""

from collections.abc import Callable
from typing import Any

from terrain_desktop.app import in_words
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.domain.units import LengthUnit, from_display, to_display
from terrain_desktop.planning.check_cache import TableChecker
from terrain_desktop.planning.checks import DEFAULT_GAP, Finding
from terrain_desktop.planning.layout import MeshLoader, TableLayout, layout_from_placements
from terrain_desktop.scene.overlays_checks import CheckMarks
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.viewport import Viewport

#: Edits come in bursts (a drag moves a piece many times); check once the burst is over.
SETTLE_MS = 150
#: Findings the list lays out (word-wrapped) per turn of the event loop: a crowded table of
#: 1,000 pieces has some 7,000, and laying them all out at once held the GUI thread for
#: 100 ms or more after each answer, in the way of the next move.
LAYOUT_BATCH = 100

#: The marks of the flagged pieces: their footprints' rings, and (x, y, top) for the balls.
Marks = tuple[list[Any], list[tuple[float, float, float]]]


def marks_of(table: TableLayout, findings: list[Finding], checker: TableChecker) -> Marks:
    """What the view marks for these findings (worked out by the worker, from the footprints
    the check has just used)."""
    flagged = {piece_id for f in findings for piece_id in f.pieces}
    rings: list[Any] = []
    balls: list[tuple[float, float, float]] = []
    for piece in table.pieces:
        if piece.id not in flagged:
            continue
        rings.extend(checker.rings(piece.id))
        balls.append((piece.x, piece.y, piece.top))
    return rings, balls


class DocumentWatcher:
    """Calls `changed` (once per burst) whenever the open table's pieces or size change."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self.doc: TableDocument | None = None
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(changed)

    def poke(self, *_: Any) -> None:
        """Something changed: call back once things have settled."""
        self._timer.start()

    def watch(self, doc: TableDocument | None) -> None:
        if self.doc is not None:
            self.doc.pieces_changed.disconnect(self.poke)
            self.doc.table_changed.disconnect(self.poke)
        self.doc = doc
        if doc is not None:
            doc.pieces_changed.connect(self.poke)
            doc.table_changed.connect(self.poke)


class ChecksPanel(QWidget):
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
        self.checker = TableChecker()  # what was found last time, kept by the worker
        self.marks = CheckMarks(viewport.interactor)
        self._marked: Marks | None = None  # what the marks show now
        self.findings: list[Finding] = []
        self._op: BackgroundOp[tuple[list[Finding], Marks]] | None = None
        self._again = False  # the table changed while it was being checked
        self.watcher = DocumentWatcher(self.refresh)
        self.gap = QDoubleSpinBox()
        self.gap.setDecimals(0)  # whole millimetres until the units setting says inches
        self.gap.setRange(0, 200)
        self.gap.setValue(DEFAULT_GAP)
        self.gap.setSuffix(" mm")
        self.gap.valueChanged.connect(lambda _: self.refresh())
        self.unit = LengthUnit.MM
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(LAYOUT_BATCH)
        self.list.itemClicked.connect(self._select)
        form = QFormLayout()
        form.addRow("Room for a base of", self.gap)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)

    def set_unit(self, unit: LengthUnit) -> None:
        """The base size typed, and the lengths in the findings, in the units setting."""
        if unit == self.unit:  # (the window applies the setting as it opens: nothing to do)
            return
        gap = from_display(self.gap.value(), self.unit)
        self.unit = unit
        self.gap.blockSignals(True)
        self.gap.setDecimals(2 if unit == LengthUnit.INCH else 0)
        self.gap.setRange(0, to_display(200, unit))
        self.gap.setSingleStep(0.125 if unit == LengthUnit.INCH else 1.0)
        self.gap.setSuffix(f" {unit.value}")
        self.gap.setValue(to_display(gap, unit))
        self.gap.blockSignals(False)
        self.refresh()

    def show_document(self, doc: TableDocument | None) -> None:
        self.watcher.watch(doc)
        self._cancel()
        self.refresh()

    def refresh(self) -> None:
        doc = self.watcher.doc
        if doc is None:
            self._cancel()
            self.list.clear()
            self.findings = []
            self.marks.clear()
            self._marked = None
            self.summary.setText("No table open")
            self.viewport.render()
            return
        if self._op is not None:
            self._again = True  # checked again, as it is then, once this check ends
            return
        stored = self.store.table(doc.table_id)
        if stored is None:
            self._failed(LookupError(f"no table {doc.table_id!r}"))
            return
        placements = self.store.placements(doc.table_id)
        gap, unit = from_display(self.gap.value(), self.unit), self.unit
        # The loader and the checker: used by one check at a time.
        assets, meshes, checker = self.assets, self.meshes, self.checker

        def work() -> tuple[list[Finding], Marks]:
            table = layout_from_placements(
                stored.name, stored.width, stored.depth, placements, assets, meshes
            )
            findings = checker.check(table, gap=gap, unit=unit)
            return findings, marks_of(table, findings, checker)

        self.summary.setText("Checking the table…")
        self._op = BackgroundOp.run(
            work, lambda done: self._checked(done[0], done[1]), self._failed, owner=self
        )

    def _cancel(self) -> None:
        """Another table: the answer on its way is not wanted."""
        if self._op is not None:
            self._op.cancel()
            self._op = None
        self._again = False

    def _failed(self, error: Exception) -> None:
        self._op = None
        self.summary.setText(f"The checks failed: {in_words.reason(error)}")
        if self._again:
            self._again = False
            self.refresh()

    def _checked(self, findings: list[Finding], marks: Marks) -> None:
        self._op = None
        if self._again:  # this answer is about a table that has changed since
            self._again = False
            self.refresh()
            return
        self._show(findings)
        self._mark(marks)

    def _show(self, findings: list[Finding]) -> None:
        count = len(findings)
        self.summary.setText(
            f"{count} finding{'s' if count != 1 else ''}"
            if count
            else "No findings: the table is ready"
        )
        if findings == self.findings and self.list.count() == count:
            return  # the same list (most moves on a crowded table): not built again
        old, self.findings = self.findings, findings
        if not self._update_list(old, findings):
            self.list.clear()
            for finding in findings:
                self.list.addItem(_item(finding))

    def _update_list(self, old: list[Finding], new: list[Finding]) -> bool:
        """The list from `old` to `new` by taking out and putting in only the findings that
        changed (a move changes a few of thousands: building 7,000 items again took 50 ms);
        False when that is not how `new` follows from `old` (then it is built again)."""
        had, wanted = set(old), set(new)
        if self.list.count() != len(old) or len(had) != len(old) or len(wanted) != len(new):
            return False
        if [f for f in old if f in wanted] != [f for f in new if f in had]:
            return False  # (the same findings in another order)
        if len(had ^ wanted) > len(new) // 2:
            return False
        for row in reversed(range(len(old))):
            if old[row] not in wanted:
                self.list.takeItem(row)
        for row, finding in enumerate(new):
            if finding not in had:
                self.list.insertItem(row, _item(finding))
        return True

    def _mark(self, marks: Marks) -> None:
        if marks == self._marked:
            # Unchanged (most edits move no flagged piece): no new frame, and the view's kept
            # image stays valid, so the next drag draws only what it moves.
            return
        self._marked = marks
        self.marks.show(*marks)  # (only the tiles with a changed mark are replaced)
        self.viewport.render()  # (a frame that draws again only where they changed)

    def _select(self, item: QListWidgetItem) -> None:
        doc = self.watcher.doc
        if doc is not None:
            doc.select(set(item.data(Qt.ItemDataRole.UserRole)))


def _item(finding: Finding) -> QListWidgetItem:
    """The finding's line in the list: its pieces by name (their ids, which the CLI's report
    keeps, only on hover)."""
    text = finding.message
    for piece_id in finding.pieces:
        text = text.replace(f" ({piece_id})", "")
    item = QListWidgetItem(text)
    item.setToolTip(f"{finding.message}\nClick to select the piece(s).")
    item.setData(Qt.ItemDataRole.UserRole, list(finding.pieces))
    return item
