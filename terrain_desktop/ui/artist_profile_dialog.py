"""Becoming an artist: the name buyers see, a few words about the work, and a link."""

from terrain_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class ArtistProfileDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Become an artist")
        self.name = QLineEdit(placeholderText="Forgeworks Terrain")
        self.bio = QPlainTextEdit()
        self.bio.setPlaceholderText("What you make, for which games and scales")
        self.bio.setFixedHeight(90)
        self.link = QLineEdit(placeholderText="https://your-shop.example.com")
        note = QLabel(
            "As an artist you upload models, publish them to the catalogue and see how "
            "often they are viewed, used and bought. Your artist name is shown with them."
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Artist name", self.name)
        form.addRow("About", self.bio)
        form.addRow("Link", self.link)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._allow)
        self._allow()

    def _allow(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))
