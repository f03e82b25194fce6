"""The Artist menu's actions: become an artist, upload a model, My models.

Like the sync controller, it talks to an operation (`ArtistOperation`) and opens dialogs;
the window only places its actions in a menu.
"""

from collections.abc import Callable

from terrain_desktop.app import in_words
from terrain_desktop.app.artist import ArtistOperation, NotSignedIn
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.qt import QAction, QDialog, QMessageBox, QWidget
from terrain_protocol.catalogue import ArtistOut

ShowMessage = Callable[[str, int], None]


class ArtistController:
    def __init__(self, operation: ArtistOperation, parent: QWidget, show: ShowMessage) -> None:
        self.operation = operation
        self.parent = parent
        self.show = show
        self.become_action = QAction("Become an artist…", parent)
        self.become_action.triggered.connect(self.become_artist)
        self.upload_action = QAction("Upload a model…", parent)
        self.upload_action.setShortcut("Ctrl+U")
        self.upload_action.triggered.connect(self.upload)
        self.my_models_action = QAction("My models…", parent)
        self.my_models_action.triggered.connect(lambda: self.my_models())
        #: The dialogs open now (tests and the window reach them here).
        self.wizard: QDialog | None = None
        self.models_dialog: QDialog | None = None

    @property
    def actions(self) -> list[QAction]:
        return [self.become_action, self.upload_action, self.my_models_action]

    def _signed_in(self, doing: str) -> bool:
        if self.operation.signed_in():
            return True
        QMessageBox.information(
            self.parent, doing, "Sign in first (File → Sign in…): models belong to an account."
        )
        return False

    def become_artist(self) -> None:
        from terrain_desktop.ui.artist_profile_dialog import ArtistProfileDialog

        if not self._signed_in("Become an artist"):
            return
        dialog = ArtistProfileDialog(self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, bio = dialog.name.text().strip(), dialog.bio.toPlainText().strip()
        link = dialog.link.text().strip() or None
        self.show("Saving your artist profile…", 0)
        try:
            work = self.operation.work(lambda client: client.become_artist(name, bio, link))
        except NotSignedIn as error:
            self._failed("Cannot become an artist", error)
            return
        BackgroundOp.run(work, self._became, lambda e: self._failed("Cannot become an artist", e))

    def _became(self, artist: ArtistOut) -> None:
        self.show(
            f"You are an artist now, as {artist.artist_name}. Upload a model from the Artist menu.",
            15_000,
        )

    def _failed(self, title: str, error: Exception) -> None:
        self.show("", 0)
        message = in_words.reason(error)
        QMessageBox.warning(self.parent, title, message)

    def upload(self) -> None:
        from terrain_desktop.ui.upload_wizard import UploadWizard

        if not self._signed_in("Upload a model"):
            return
        wizard = UploadWizard(self.operation, self.parent)
        self.wizard = wizard
        wizard.processed.connect(
            lambda asset: self.show(f"{asset.name}: {asset.processing_state}.", 10_000)
        )
        wizard.accepted.connect(lambda: self.my_models(wizard.upload_page.asset))
        wizard.finished.connect(lambda _: wizard.deleteLater())
        wizard.open()

    def my_models(self, select: object = None) -> None:
        from terrain_desktop.ui.my_models import MyModelsDialog

        if not self._signed_in("My models"):
            return
        dialog = MyModelsDialog(self.operation, self.parent, getattr(select, "id", None))
        self.models_dialog = dialog
        dialog.finished.connect(lambda _: dialog.deleteLater())
        dialog.open()
