"""The window's online parts, wired in one place: the sync indicator and automatic sync, the
plan line above My tables, and sharing (share a table, open one by its code, clone it).

The window makes one `OnlineFeatures` before its menus; the actions it adds go to the File
menu through the sync controller's `more_actions`.
"""

from collections.abc import Callable

from terrain_desktop.app import in_words, plans
from terrain_desktop.app.sharing import SharedTable
from terrain_desktop.app.shell import AppShell
from terrain_desktop.store.local_store import TableLimitReached
from terrain_desktop.sync.client import ApiRefused
from terrain_desktop.ui.auto_sync import AutoSync
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.plan_limit import explain_limit
from terrain_desktop.ui.qt import QAction, QInputDialog, QMessageBox
from terrain_desktop.ui.share_dialog import ShareDialog
from terrain_desktop.ui.shared_table_view import SharedTableView
from terrain_desktop.ui.shop_controller import ShopController
from terrain_desktop.ui.sync_controller import SyncController
from terrain_desktop.ui.sync_indicator import SyncIndicator
from terrain_desktop.ui.sync_problems_dialog import SyncProblemsFeature
from terrain_desktop.ui.window_view import WindowView
from terrain_protocol.tables import TableOut


class OnlineFeatures:
    def __init__(
        self,
        shell: AppShell,
        view: WindowView,
        controller: SyncController,
        shop: ShopController,
        show_plan: Callable[[str, bool], None],
    ) -> None:
        """`show_plan(text, full)` puts the account and plan line above My tables."""
        self.shell = shell
        self.view = view
        self.window = window = view.frame
        self.controller = controller
        self.shop = shop
        self._show_plan = show_plan
        self.sharing = shell.sharing
        self.indicator = SyncIndicator(controller.sync_action)
        window.statusBar().addPermanentWidget(self.indicator)
        controller.status_changed.connect(self.indicator.show_status)
        self.indicator.show_status(controller.status)
        self.auto = AutoSync(controller, shell.editor, window)
        self.problems = SyncProblemsFeature(shell, view, controller, self.indicator.problems_button)
        self.share_action = QAction("Share table…", window)
        self.share_action.triggered.connect(self.share_open_table)
        self.open_code_action = QAction("Open shared table…", window)
        self.open_code_action.setShortcut("Ctrl+Shift+O")
        self.open_code_action.triggered.connect(self.ask_code)
        controller.more_actions += [self.share_action, self.open_code_action]
        #: The last table opened by code (its window), and the last share dialog.
        self.shared_view: SharedTableView | None = None
        self.share_dialog: ShareDialog | None = None
        self._opening: BackgroundOp[SharedTable] | None = None
        self._cloning: BackgroundOp[TableOut] | None = None
        shell.editor.tables_changed.connect(lambda _: self.show_plan())
        shell.editor.table_opened.connect(lambda _: self._share_enabled())
        controller.account_changed.connect(lambda _: self.show_plan())
        self.show_plan()
        self._share_enabled()

    def close(self) -> None:
        """The window is closing: stop syncing, close what it opened."""
        self.auto.stop()
        for op in (self._opening, self._cloning):
            if op is not None:
                op.cancel()
        if self.shared_view is not None:
            self.shared_view.close()

    # -- plan and account ----------------------------------------------------------------------

    def show_plan(self) -> None:
        operation = self.shell.sync
        current = plans.summary(self.shell.store, operation.plan())
        who = operation.signed_in_email()
        account = f"Signed in as {who}" if who else "Not signed in"
        if who and operation.needs_sign_in():
            account = f"Signed out — sign in to sync ({who})"
        self._show_plan(f"{account}\n{current.text}", current.full)
        self.controller.sign_out_action.setEnabled(who is not None)

    # -- sharing -------------------------------------------------------------------------------

    def _share_enabled(self) -> None:
        self.share_action.setEnabled(self.shell.editor.doc is not None)

    def share_open_table(self) -> None:
        doc = self.shell.editor.doc
        if doc is None:
            return
        self.share_dialog = ShareDialog(
            doc.table_id, self.sharing, self.controller, self.auto.edited, self.window
        )
        self.share_dialog.show()

    def ask_code(self) -> None:
        text, ok = QInputDialog.getText(
            self.window, "Open shared table", "Share code (16 letters and digits):"
        )
        if ok and text.strip():
            self.open_code(text)

    def open_code(self, text: str) -> None:
        try:
            work = self.sharing.open_work(text)
        except ValueError as error:
            QMessageBox.information(self.window, "Open shared table", str(error))
            return
        self.view.show_message("Opening the shared table…", 0)
        self._opening = BackgroundOp.run(work, self._opened, self._open_failed)

    def _opened(self, shared: SharedTable) -> None:
        self.view.show_message("", 0)
        if self.shared_view is not None:
            self.shared_view.close()
        self.shared_view = SharedTableView(shared, self.shell.catalogue, self.clone, self.window)
        self.shop.attach_shared_view(self.shared_view)  # what its pieces cost me
        self.shared_view.show()
        self.shared_view.fetch_meshes(self.shell.sync)

    def _open_failed(self, error: Exception) -> None:
        self.view.show_message("", 0)
        if isinstance(error, ApiRefused) and error.status == 404:
            message = "No table has that code (or its owner archived it)."
        elif isinstance(error, ApiRefused):
            message = error.message
        else:
            message = f"Not opened: {in_words.reason(error)}. Try again when online."
        QMessageBox.information(self.window, "Open shared table", message)

    def clone(self, shared: SharedTable) -> None:
        try:
            work = self.sharing.clone_work(shared)
        except TableLimitReached as limit:
            explain_limit(self.window, str(limit))
            return
        self.view.show_message(f"Cloning “{shared.table.name}”…", 0)
        self._cloning = BackgroundOp.run(work, self._cloned, self._clone_failed)

    def _cloned(self, table: TableOut) -> None:
        self.view.show_message(f"Cloned into your tables as “{table.name}”.", 10_000)
        if self.shared_view is not None:
            self.shared_view.close()
        clone_id = str(table.id)

        def open_clone(_: object) -> None:
            arrived = self.shell.store.table(clone_id) is not None
            if arrived or not self.controller.syncing:  # else the next round may bring it
                self.controller.finished.disconnect(open_clone)
            if arrived:
                self.shell.editor.open_table(clone_id)

        self.controller.finished.connect(open_clone)
        self.controller.start()  # bring the clone down, then open it

    def _clone_failed(self, error: Exception) -> None:
        self.view.show_message("", 0)
        if isinstance(error, TableLimitReached):
            explain_limit(self.window, str(error))
            return
        QMessageBox.warning(self.window, "Cannot clone", in_words.reason(error))
