"""Uploading a model as an artist, step by step: pick the file → check it here (size at the
units it seems drawn in, with a way to correct them; triangles; problems; a 3D preview) →
name, category, tags, price → send it (progress, Cancel) → the server's processing, until the
model is ready or the server says why it failed.

Reading the file and every network call run off the GUI thread (`BackgroundOp`). Cancel while
the file is going out stops the request itself, so the server keeps nothing of it.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path

from terrain_desktop.app import in_words
from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.artist import ArtistOperation, NotSignedIn, Sending
from terrain_desktop.domain.catalogue import category_label
from terrain_desktop.domain.units import format_size
from terrain_desktop.meshes import upload_check
from terrain_desktop.meshes.upload_check import UploadCheck
from terrain_desktop.sync.artist_client import UploadDetails
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.import_dialog import UNIT_NAMES
from terrain_desktop.ui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRegularExpression,
    QRegularExpressionValidator,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
)
from terrain_meshes.analysis import MM_PER_UNIT, Units
from terrain_protocol.catalogue import CATEGORIES, DEFAULT_LICENCE, LICENCES, AssetOut, Licence

PRICE_PATTERN = r"^\d{1,8}(\.\d{0,2})?$"
FILE_FILTER = "3D models (*.stl *.obj *.ply *.3mf *.glb)"


def licence_choice(current: Licence) -> QComboBox:
    """The licences in words, `current` chosen; `currentData()` is the licence's code."""
    box = QComboBox()
    for code, words in LICENCES.items():
        box.addItem(words, code)
    box.setCurrentIndex(list(LICENCES).index(current))
    return box


def error_text(error: Exception) -> str:
    return in_words.reason(error)


class FilePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose the model")
        self.setSubTitle("STL, OBJ, PLY, 3MF or GLB. It is checked here before it is sent.")
        self.path = QLineEdit(placeholderText="/path/to/model.stl")
        self.browse = QPushButton("Browse…")
        row = QHBoxLayout(self)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.browse.clicked.connect(self._browse)
        self.path.textChanged.connect(lambda _: self.completeChanged.emit())

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Model to upload", "", FILE_FILTER)
        if chosen:
            self.path.setText(chosen)

    def chosen(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def isComplete(self) -> bool:
        path = self.chosen()
        return path.suffix.lower() in upload_check.UPLOAD_SUFFIXES and path.is_file()


class CheckPage(QWizardPage):
    """The model read and checked in the background, then shown at the chosen units."""

    def __init__(self, wizard: "UploadWizard") -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Check the model")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.units = QComboBox()
        for unit, label in UNIT_NAMES.items():
            self.units.addItem(label, unit)
        self.size_label = QLabel()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.columns = QHBoxLayout(self)
        side = QWidget()
        form = QFormLayout(side)
        form.addRow(self.status)
        form.addRow("Drawn in", self.units)
        form.addRow("Size", self.size_label)
        form.addRow("Problems", self.problems)
        self.columns.addWidget(side, 2)
        self.preview: QWidget | None = None
        self.result: UploadCheck | None = None
        self.op: BackgroundOp[UploadCheck] | None = None
        self.units.currentIndexChanged.connect(self._show)

    def initializePage(self) -> None:
        path = self.wizard_.file_page.chosen()
        self.result = None
        self.status.setText(f"Reading and checking {path.name}…")
        self.size_label.clear()
        self.problems.clear()
        self.units.setEnabled(False)
        self.completeChanged.emit()
        self.op = BackgroundOp.run(lambda: upload_check.check(path), self._checked, self._failed)

    def cleanupPage(self) -> None:
        if self.op is not None:
            self.op.cancel()
        self.close_preview()

    def close_preview(self) -> None:
        if self.preview is not None:  # its GL window goes with the page
            self.preview.close()
            self.columns.removeWidget(self.preview)
            self.preview.deleteLater()
            self.preview = None

    def _checked(self, result: UploadCheck) -> None:
        from terrain_desktop.ui.import_preview import ImportPreview

        self.result = result
        inspection = result.inspection
        self.status.setText(
            f"{inspection.path.name}: {inspection.triangles:,} triangles. Its size suggests it "
            f"was drawn in {UNIT_NAMES[inspection.guessed_units]}; correct the units if the "
            "size looks wrong for 28–32 mm miniatures."
        )
        self.units.setEnabled(True)
        self.units.blockSignals(True)
        self.units.setCurrentIndex(list(UNIT_NAMES).index(inspection.guessed_units))
        self.units.blockSignals(False)
        self.close_preview()
        if inspection.preview is not None:
            self.preview = ImportPreview(*inspection.preview, self)
            self.columns.insertWidget(0, self.preview, 3)
            self.preview.show()  # now, not on the layout's next turn: it renders at once
        self._show()
        self.completeChanged.emit()

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"This file cannot be uploaded: {in_words.reason(error)}")

    def chosen_units(self) -> Units:
        return Units(self.units.currentData())

    def _show(self) -> None:
        if self.result is None:
            return
        units = self.chosen_units()
        x, y, z = self.result.inspection.size_mm(units)
        shown = self.wizard_.operation.sync.preferences.get(prefs.LENGTH_UNIT)
        squares = f"{x / 25.4:.1f} × {y / 25.4:.1f} one-inch squares"
        self.size_label.setText(f"{format_size((x, y, z), shown)}\n{squares}")
        found = self.result.problems(units)
        self.problems.setText("\n".join(f"• {p}" for p in found) if found else "None found.")
        if self.preview is not None:
            self.preview.show_at(MM_PER_UNIT[units])  # type: ignore[attr-defined]

    def isComplete(self) -> bool:
        return self.result is not None


class DetailsPage(QWizardPage):
    def __init__(self, wizard: "UploadWizard") -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Describe it")
        self.setSubTitle("What buyers see in the catalogue. You can change it later in My models.")
        self.name = QLineEdit()
        self.category = QComboBox()
        for category in CATEGORIES:  # read capitalised, sent as the slug
            self.category.addItem(category_label(category), category)
        self.category.setPlaceholderText("Choose a category")
        self.category.setCurrentIndex(-1)  # no guess: "hills" suited few models
        self.category.currentIndexChanged.connect(lambda _: self.completeChanged.emit())
        self.tags = QLineEdit(placeholderText="ruins, gothic, 28mm")
        self.price = QLineEdit("0.00")
        self.price.setValidator(QRegularExpressionValidator(QRegularExpression(PRICE_PATTERN)))
        self.licence = licence_choice(DEFAULT_LICENCE)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(80)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Category", self.category)
        form.addRow("Tags", self.tags)
        form.addRow("Price (USD)", self.price)
        form.addRow("Licence", self.licence)
        form.addRow("Description", self.description)
        self.name.textChanged.connect(lambda _: self.completeChanged.emit())
        self.price.textChanged.connect(lambda _: self.completeChanged.emit())

    def initializePage(self) -> None:
        result = self.wizard_.check_page.result
        if result is not None and not self.name.text().strip():
            self.name.setText(result.inspection.name)

    def price_value(self) -> Decimal | None:
        try:
            return Decimal(self.price.text().strip() or "0").quantize(Decimal("0.01"))
        except InvalidOperation:
            return None

    def isComplete(self) -> bool:
        return (
            bool(self.name.text().strip())
            and self.category.currentIndex() >= 0
            and self.price_value() is not None
        )

    def details(self, units: Units) -> UploadDetails:
        price = self.price_value()
        assert price is not None  # the page is complete
        return UploadDetails(
            name=self.name.text().strip(),
            category=str(self.category.currentData()),
            tags=[t.strip() for t in self.tags.text().split(",") if t.strip()],
            description=self.description.toPlainText().strip(),
            price=price,
            licence=self.licence.currentData(),
            units=units.value,
        )


class UploadPage(QWizardPage):
    """Sending the file, then the server's processing, until ready or failed."""

    def __init__(self, wizard: "UploadWizard") -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Upload")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        column = QVBoxLayout(self)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addStretch(1)
        self.asset: AssetOut | None = None
        self.ended = False
        self.op: BackgroundOp[AssetOut] | None = None

    def initializePage(self) -> None:
        check, details = self.wizard_.check_page, self.wizard_.details_page
        assert check.result is not None
        path = check.result.inspection.path
        upload = details.details(check.chosen_units())
        self.asset, self.ended = None, False
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status.setText(f"Sending {path.name}…")

        try:
            upload_work = self.wizard_.operation.upload_work(path, upload)
        except NotSignedIn as error:
            self._failed(error)
            return

        def work(context: OpContext) -> AssetOut:
            return upload_work(context.report, lambda: context.cancelled)

        self.op = BackgroundOp(work, self._ended, self._failed, self._progress).start()

    def cancel(self) -> None:
        if self.op is not None and self.op.running:
            self.op.cancel()

    def _progress(self, report: object) -> None:
        if isinstance(report, Sending):
            sent, total = report.sent, report.total
            self.progress.setValue(round(100 * sent / max(total, 1)))
            self.status.setText(f"Sending: {sent / 1e6:.1f} of {total / 1e6:.1f} MB…")
        elif isinstance(report, AssetOut):
            asset = report
            self.asset = asset
            if asset.processing_state == "processing":
                self.progress.setRange(0, 0)  # busy: the server does not say how far it is
                self.status.setText(
                    "Sent. The server is processing the model (measuring it, making its "
                    "display mesh and thumbnail)…"
                )

    def _ended(self, asset: AssetOut) -> None:
        self.asset, self.ended = asset, True
        self.progress.setRange(0, 100)
        self.progress.setValue(100)
        if asset.processing_state == "ready":
            self.status.setText(
                f"{asset.name} is ready: {asset.poly_count or 0:,} triangles. It is a draft "
                "until you publish it in My models."
            )
        else:
            self.status.setText(f"The server could not process it: {asset.processing_error}")
        self._finished()
        self.wizard_.processed.emit(asset)

    def _failed(self, error: Exception) -> None:
        self.ended = True
        self.progress.setRange(0, 100)
        self.status.setText(f"The upload failed: {error_text(error)}")
        self._finished()

    def _finished(self) -> None:
        """Nothing is left to cancel: only Finish (and Back after a failure) remain."""
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.ended


class UploadWizard(QWizard):
    #: The uploaded model once the server has finished with it (ready or failed).
    processed = Signal(object)

    def __init__(self, operation: ArtistOperation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation = operation
        self.setWindowTitle("Upload a model")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Open My models")
        self.file_page = FilePage()
        self.check_page = CheckPage(self)
        self.details_page = DetailsPage(self)
        self.upload_page = UploadPage(self)
        for page in (self.file_page, self.check_page, self.details_page, self.upload_page):
            self.addPage(page)
        self.resize(900, 560)

    def reject(self) -> None:
        """Cancel: stop what runs (an upload in flight ends without leaving anything)."""
        self.upload_page.cancel()
        if self.check_page.op is not None:
            self.check_page.op.cancel()
        super().reject()

    def done(self, result: int) -> None:
        self.check_page.close_preview()
        super().done(result)
