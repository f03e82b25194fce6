"""The sync and sign-in actions: dialogs and messages around the `SyncOperation`.

It talks to the operation (which server, who, the work) and to the editor (reload what a
sync brought), never to the window: the window only places its actions in the menus.
"""

from collections.abc import Callable

from terrain_desktop.app.editor import Editor
from terrain_desktop.app.syncing import SyncOperation, SyncResult
from terrain_desktop.sync import account
from terrain_desktop.sync.client import ApiRefused
from terrain_desktop.sync.engine import Progress
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.qt import QAction, QInputDialog, QMessageBox, QWidget

#: Shows a message in the status bar for so many milliseconds (0: until replaced).
ShowMessage = Callable[[str, int], None]


class SyncController:
    def __init__(
        self, operation: SyncOperation, editor: Editor, parent: QWidget, show: ShowMessage
    ) -> None:
        self.operation = operation
        self.editor = editor
        self.parent = parent
        self.show = show
        self.sync_action = QAction("Sync now", parent)
        self.sync_action.setShortcut("F5")
        self.sync_action.triggered.connect(self.sync_now)
        self.sign_in_action = QAction("Sign in…", parent)
        self.sign_in_action.triggered.connect(self.sign_in)
        self.sign_out_action = QAction("Sign out", parent)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.server_action = QAction("Server address…", parent)
        self.server_action.triggered.connect(self.ask_server)
        self.running: BackgroundOp[SyncResult] | None = None

    @property
    def actions(self) -> list[QAction]:
        return [self.sync_action, self.sign_in_action, self.sign_out_action, self.server_action]

    def ask_server(self) -> None:
        url, ok = QInputDialog.getText(
            self.parent,
            "Server",
            "Terrain Builder server address:",
            text=self.operation.server_url(),
        )
        if ok:
            self.operation.set_server_url(url)

    def sign_in(self) -> None:
        from terrain_desktop.ui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(self.operation.server_url(), self.parent)
        if dialog.exec() != SignInDialog.DialogCode.Accepted:
            return
        work = self.operation.sign_in_work(
            dialog.email.text().strip(),
            dialog.password.text(),
            register=dialog.register.isChecked(),
        )
        self.show("Signing in…", 0)
        BackgroundOp.run(work, self._signed_in, self._sign_in_failed)

    def _signed_in(self, result: account.SignedIn) -> None:
        self.show(self.operation.signed_in(result), 15_000)
        self.sync_now()

    def _sign_in_failed(self, error: Exception) -> None:
        message = error.message if isinstance(error, ApiRefused) else str(error)
        self.show("", 0)
        QMessageBox.warning(self.parent, "Cannot sign in", message)

    def sign_out(self) -> None:
        if self.operation.sign_out():
            self.show("Signed out. Your tables stay on this computer.", 8000)

    def sync_now(self) -> None:
        """Push this device's edits and pull the others', in the background."""
        self.sync_action.setEnabled(False)
        self.show(f"Syncing with {self.operation.server_url()}…", 0)
        operation = self.operation

        def work(context: OpContext) -> SyncResult:
            return operation.sync_work(context.report)()

        self.running = BackgroundOp(work, self._synced, self._sync_failed, self._progress).start()

    def _progress(self, progress: object) -> None:
        if isinstance(progress, Progress) and progress.stage == "push" and progress.total:
            self.show(f"Syncing: {progress.done} of {progress.total} change(s) sent…", 0)

    def _synced(self, result: SyncResult) -> None:
        self.sync_action.setEnabled(True)
        self.editor.reload()
        self.show(result.message(), 10_000)

    def _sync_failed(self, error: Exception) -> None:
        self.sync_action.setEnabled(True)
        self.show(
            f"Sync failed ({error}). Your edits are kept here and will sync next time.", 15_000
        )
