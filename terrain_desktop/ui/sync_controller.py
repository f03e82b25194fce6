"""The sync and sign-in actions: dialogs and messages around the `SyncOperation`.

It talks to the operation (which server, who, the work) and to the editor (reload what a
sync brought), never to the window: the window only places its actions in the menus. It keeps
the `SyncStatus` the indicator shows, and runs one round at a time: asked again while a round
runs, it runs another one right after.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from terrain_desktop.app import in_words, sync_problems, sync_status
from terrain_desktop.app.editor import Editor
from terrain_desktop.app.sync_status import SyncState, SyncStatus
from terrain_desktop.app.syncing import SyncOperation, SyncResult
from terrain_desktop.domain.events import Signal
from terrain_desktop.sync import account
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
        #: More actions for the File menu (sharing), placed after these.
        self.more_actions: list[QAction] = []
        self.last_synced: datetime | None = None
        self.status = self._idle_status()
        #: The indicator follows this; `finished` tells the scheduler a round ended.
        self.status_changed: Signal[SyncStatus] = Signal()
        self.finished: Signal[SyncStatus] = Signal()
        #: The account changed (signed in or out), so the plan may have too.
        self.account_changed: Signal[None] = Signal()
        self._again = False
        self._manual = False
        #: A sign-in is on its way: rounds wait for it (a round as the old owner meanwhile
        #: would send this device's tables to the wrong place).
        self._signing_in = False

    @property
    def actions(self) -> list[QAction]:
        own = [self.sync_action, self.sign_in_action, self.sign_out_action, self.server_action]
        return own + self.more_actions

    @property
    def syncing(self) -> bool:
        return self.running is not None and self.running.running

    def _idle_status(self) -> SyncStatus:
        pending = self.operation.store.pending_count()
        if not self.operation.server_chosen():
            return SyncStatus(SyncState.NOT_CONNECTED, pending)
        if self.operation.needs_sign_in():
            return SyncStatus(SyncState.SIGNED_OUT, pending)
        refused = sync_problems.count(self.operation.store)
        if self.last_synced is None and not refused:
            # Nothing heard from the server yet in this run: not "up to date" until it is.
            return SyncStatus(SyncState.WAITING, pending)
        return sync_status.settled(pending, self.last_synced, refused)

    def refresh(self) -> None:
        """Show the status again (after the user dealt with a sync problem, say)."""
        if not self.syncing:
            self._set_status(self._idle_status())

    def _set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def edited(self) -> None:
        """Something was queued: the waiting count changes (unless a round is under way or
        the last one failed, whose state stays on show until the next)."""
        if self.syncing:
            return
        pending = self.operation.store.pending_count()
        if self.status.state in (SyncState.OFFLINE, SyncState.ERROR):
            self._set_status(
                SyncStatus(self.status.state, pending, self.status.reason, self.status.last_synced)
            )
        else:
            self._set_status(self._idle_status())

    def ask_server(self) -> None:
        url, ok = QInputDialog.getText(
            self.parent,
            "Server",
            "Terrain Builder server address:",
            text=self.operation.server_url(),
        )
        if ok:
            self.operation.set_server_url(url)
            self._set_status(self._idle_status())
            self.account_changed.emit(None)

    def sign_in(self) -> None:
        from terrain_desktop.ui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(self.operation.server_url(), self.parent)
        if dialog.exec() != SignInDialog.DialogCode.Accepted:
            return
        email, password = dialog.email.text().strip(), dialog.password.text()
        self._after_round(lambda: self._send_sign_in(email, password, dialog.register.isChecked()))

    def _after_round(self, then: Callable[[], None]) -> None:
        """Run `then` now, or once the rounds under way are over (signing in or out in the
        middle of a round would mix the two owners' tables)."""
        if not self.syncing:
            then()
            return

        def over(_: SyncStatus) -> None:
            if not self.syncing:
                self.finished.disconnect(over)
                then()

        self.finished.connect(over)

    def _send_sign_in(self, email: str, password: str, register: bool) -> None:
        work = self.operation.sign_in_work(email, password, register=register)
        self.show("Signing in…", 0)
        self._signing_in = True
        BackgroundOp.run(work, self._signed_in, self._sign_in_failed)

    def _signed_in(self, result: account.SignedIn) -> None:
        self._signing_in = False
        self._again = False  # the round below is the one asked for
        message = self.operation.signed_in(result)
        if self.operation.kept_in_memory() and self._keep_in_file():
            message = self.operation.signed_in(result, keep_in_file=True)
        self.show(message, 15_000)
        self.account_changed.emit(None)
        self.sync_now()

    def _keep_in_file(self) -> bool:
        """No keyring here: ask whether to keep the sign-in in a file only this user can
        read, or to sign in again at each start."""
        box = QMessageBox(self.parent)
        box.setWindowTitle("No keyring on this computer")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(
            "This computer has no keyring to keep your sign-in safely. Keep it in a file "
            f"only you can read ({self.operation.token_file()}), or sign in again each time "
            "you start Terrain Builder? Until you do, your changes wait here."
        )
        keep = box.addButton("Keep in a file", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Sign in at each start", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is keep

    def _sign_in_failed(self, error: Exception) -> None:
        self._signing_in = False
        if self._again:
            self._again = False
            self.start(manual=self._manual)
        message = in_words.reason(error)
        self.show("", 0)
        QMessageBox.warning(self.parent, "Cannot sign in", message)

    def sign_out(self) -> None:
        """Sign out, after sending what is still waiting: the account's tables then leave
        this computer (they are safe on the server). With changes that cannot reach the
        server, stay signed in and say so: nothing is lost."""
        if self.operation.signed_in_user() is None:
            return
        if not self.syncing and not self.operation.store.pending_count():
            self._sign_out_now()
            return
        self.show("Sending your last changes before signing out…", 0)

        def over(status: SyncStatus) -> None:
            if self.syncing:
                return  # another round follows
            self.finished.disconnect(over)
            waiting = self.operation.store.pending_count()
            if not waiting:
                self._sign_out_now()
                return
            self.show("", 0)
            QMessageBox.warning(
                self.parent,
                "Still signed in",
                f"{waiting} change(s) have not reached the server yet ({status.text}). "
                "Sign out again once it can be reached; nothing is lost.",
            )

        self.finished.connect(over)
        self.start()

    def _sign_out_now(self) -> None:
        BackgroundOp.run(self.operation.sign_out_work(), lambda _: None, lambda _: None)
        self.operation.sign_out()
        self.editor.reload()
        self.show("Signed out. Your tables are kept in your account: sign in to see them.", 8000)
        self._set_status(self._idle_status())
        self.account_changed.emit(None)

    def sync_now(self) -> None:
        """Push this device's edits and pull the others', in the background (Sync now)."""
        self.start(manual=True)

    def start(self, *, manual: bool = False) -> None:
        """One round in the background. `manual` rounds report in the status bar too;
        automatic ones only in the indicator. A round already running runs again after.
        Sync now stays disabled from a press until the round it asked for is over (automatic
        rounds leave it enabled: a press during one queues the next)."""
        if manual:
            self.sync_action.setEnabled(False)
        if self.syncing or self._signing_in:
            self._again = True
            self._manual |= manual
            return
        if self.operation.needs_sign_in():  # never as an anonymous session instead
            self.sync_action.setEnabled(True)
            if manual:
                self.show("Signed out — sign in to sync. Your changes wait here.", 10_000)
            self._set_status(self._idle_status())
            self.finished.emit(self.status)
            return
        self._manual = manual
        if manual:
            self.show(f"Syncing with {self.operation.server_url()}…", 0)
        self._set_status(
            SyncStatus(
                SyncState.SYNCING,
                self.operation.store.pending_count(),
                last_synced=self.last_synced,
            )
        )
        operation = self.operation

        def work(context: OpContext) -> SyncResult:
            return operation.sync_work(context.report)()

        self.running = BackgroundOp(work, self._synced, self._sync_failed, self._progress).start()

    def _progress(self, progress: object) -> None:
        if not self._manual:
            return
        if isinstance(progress, Progress) and progress.stage == "push" and progress.total:
            self.show(f"Syncing: {progress.done} of {progress.total} change(s) sent…", 0)

    def _synced(self, result: SyncResult) -> None:
        self.last_synced = datetime.now(UTC).astimezone()  # local time, for the tooltip
        self.operation.keep_plan(result.plan)
        self._refresh_editor()
        if self._manual:
            self.show(result.message(), 10_000)
        store = self.operation.store
        self._round_over(
            sync_status.settled(store.pending_count(), self.last_synced, sync_problems.count(store))
        )

    def _sync_failed(self, error: Exception) -> None:
        if self._manual:
            self.show(
                f"Sync failed: {in_words.reason(error)}. Your edits are kept here and will "
                "sync next time.",
                15_000,
            )
        pending = self.operation.store.pending_count()
        self._round_over(sync_status.failed(error, pending, self.last_synced))

    def _round_over(self, status: SyncStatus) -> None:
        """Show how the round ended; start the round asked for meanwhile (before telling
        listeners, so they can see through `syncing` that another one follows), unless the
        server could not be reached."""
        self.sync_action.setEnabled(True)
        self._set_status(status)
        again, self._again = self._again, False
        if again and status.state != SyncState.OFFLINE:  # offline: the retries see to it
            self.start(manual=self._manual)
        self.finished.emit(status)

    def _refresh_editor(self) -> None:
        """Show what the round brought. The open table is reopened (which clears its undo
        history) only when its pieces changed underneath it; the list of tables and the
        library always follow."""
        editor, doc = self.editor, self.editor.doc
        table = editor.store.table(doc.table_id) if doc is not None else None
        if doc is None or table is None or table.status != "active":
            editor.reload()
            return
        if {p.id: p for p in editor.store.pieces(doc.table_id)} != doc.pieces:
            editor.reload()
            return
        editor.tables_changed.emit(None)
        editor.library_changed.emit(None)
