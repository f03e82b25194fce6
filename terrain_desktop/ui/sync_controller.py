"""Syncing with the server and signing in, for the main window (work runs in the background)."""

import os
from typing import TYPE_CHECKING

from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.background import run_in_background
from terrain_desktop.ui.qt import QInputDialog, QMessageBox

if TYPE_CHECKING:
    from terrain_desktop.ui.main_window import MainWindow


class SyncController:
    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self._memory_tokens: dict[str, str] = {}

    def server_url(self) -> str:
        return self.window.store.get_meta("server_url") or os.environ.get(
            "TERRAIN_SERVER_URL", "http://127.0.0.1:8000"
        )

    def ask_server(self) -> None:
        url, ok = QInputDialog.getText(
            self.window, "Server", "Terrain Builder server address:", text=self.server_url()
        )
        if ok and url.strip():
            self.window.store.set_meta("server_url", url.strip().rstrip("/"))

    def signed_in_user(self) -> str | None:
        return self.window.store.get_meta(f"account:{self.server_url()}")

    def _token(self) -> str | None:
        from terrain_desktop.sync import account

        user = self.signed_in_user()
        if user is None:
            return None
        return self._memory_tokens.get(user) or account.load_token(self.server_url(), user)

    def sign_in(self) -> None:
        from terrain_desktop.sync import account
        from terrain_desktop.sync.client import ApiClient
        from terrain_desktop.ui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(self.server_url(), self.window)
        if dialog.exec() != SignInDialog.DialogCode.Accepted:
            return
        email, password = dialog.email.text().strip(), dialog.password.text()
        register, url = dialog.register.isChecked(), self.server_url()
        session = self.window.store.get_meta("anonymous_session_id")
        self.window.statusBar().showMessage("Signing in…")

        def work() -> object:
            client = ApiClient(url, session_id=session, timeout=15, retries=1)
            try:
                return account.sign_in(client, email, password, register=register)
            finally:
                client.close()

        run_in_background(work, self._signed_in, self._sign_in_failed)

    def _signed_in(self, result: object) -> None:
        from terrain_desktop.sync import account

        assert isinstance(result, account.SignedIn)
        url = self.server_url()
        try:
            account.save_token(url, result.user_id, result.token)
            kept = ""
        except account.NoSecureStorage:
            self._memory_tokens[result.user_id] = result.token
            kept = (
                " There is no secure keyring on this system, so you will be signed out "
                "when you close the app."
            )
        self.window.store.set_meta(f"account:{url}", result.user_id)
        self.window.store.set_meta(f"account_email:{url}", result.email)
        moved = (
            f" {result.moved_tables} table(s) moved to your account." if result.moved_tables else ""
        )
        self.window.statusBar().showMessage(f"Signed in as {result.email}.{moved}{kept}", 15_000)
        self.sync_now()

    def _sign_in_failed(self, error: Exception) -> None:
        from terrain_desktop.sync.client import ApiRefused

        message = error.message if isinstance(error, ApiRefused) else str(error)
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, "Cannot sign in", message)

    def sign_out(self) -> None:
        from terrain_desktop.sync import account

        user = self.signed_in_user()
        if user is not None:
            account.forget_token(self.server_url(), user)
            self._memory_tokens.pop(user, None)
            self.window.store.set_meta(f"account:{self.server_url()}", None)
            self.window.statusBar().showMessage(
                "Signed out. Your tables stay on this computer.", 8000
            )

    def sync_now(self) -> None:
        """Push this device's edits and pull the others', in the background: as the signed-in
        account, or else as an anonymous session made on first contact."""
        from terrain_desktop.sync.client import ApiClient
        from terrain_desktop.sync.engine import SyncEngine

        path, url = self.window.store.path, self.server_url()
        token, user_id = self._token(), self.signed_in_user()
        if token is None:
            user_id = None
        self.window.sync_action.setEnabled(False)
        self.window.statusBar().showMessage(f"Syncing with {url}…")

        def work() -> object:
            store = LocalStore(path)  # its own connection: the window keeps editing meanwhile
            client = ApiClient(url, token=token, timeout=15, retries=2)
            try:
                return SyncEngine(store, client, user_id=user_id).sync_once()
            finally:
                client.close()
                store.close()

        run_in_background(work, self._synced, self._sync_failed)

    def _synced(self, report: object) -> None:
        self.window.sync_action.setEnabled(True)
        current = self.window.doc.table_id if self.window.doc else None
        self.window.doc = None  # reload what the pull brought
        tables = self.window.store.tables()
        if current and any(t.id == current for t in tables):
            self.window.open_table(current)
        elif tables:
            self.window.open_table(tables[0].id)
        self.window.tables_panel.show_tables(
            self.window.store, self.window.doc.table_id if self.window.doc else None
        )
        refused = [t.name for t in tables if t.sync_state == "rejected"]
        note = f" Not synced: {', '.join(refused)} (see the table's tooltip)." if refused else ""
        pushed = getattr(report, "pushed", 0)
        self.window.statusBar().showMessage(f"Synced: {pushed} change(s) sent.{note}", 10_000)

    def _sync_failed(self, error: Exception) -> None:
        self.window.sync_action.setEnabled(True)
        self.window.statusBar().showMessage(
            f"Sync failed ({error}). Your edits are kept here and will sync next time.", 15_000
        )
