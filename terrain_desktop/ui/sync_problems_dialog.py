"""File ▸ Sync problems… (and the indicator's Details…): every change the server did not
accept, with its reason in words, and buttons to Retry it, Keep it as a new table, or Undo it.

Also where an edit refused before it was made (a table's piece limit) is said, in the status
bar. What each button does is `app.sync_problems`; this only shows the list.
"""

from terrain_desktop.app.plans import PieceLimitReached
from terrain_desktop.app.shell import AppShell
from terrain_desktop.app.sync_problems import Problem, SyncProblems
from terrain_desktop.store.local_store import TableLimitReached
from terrain_desktop.ui.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.sync_controller import SyncController
from terrain_desktop.ui.window_view import WindowView


class SyncProblemsDialog(QDialog):
    def __init__(
        self, problems: SyncProblems, shell: AppShell, controller: SyncController, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync problems")
        self.resize(640, 360)
        self.problems = problems
        self.shell = shell
        self.controller = controller
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.retry_button = QPushButton("Retry")
        self.keep_button = QPushButton("Keep as a new table")
        self.undo_button = QPushButton("Undo it")
        for button in (self.retry_button, self.keep_button, self.undo_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.retry_button.clicked.connect(self.retry)
        self.keep_button.clicked.connect(self.keep)
        self.undo_button.clicked.connect(self.undo)
        self.list.currentRowChanged.connect(lambda _: self._enable())
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.list, self.note, self.buttons):
            layout.addWidget(widget)
        self.shown: list[Problem] = []
        self.fill()

    def fill(self) -> None:
        self.shown = self.problems.list()
        self.list.clear()
        for problem in self.shown:
            item = QListWidgetItem(
                f"{problem.table_name}: {problem.what} — {problem.reason}.\n{problem.advice}"
            )
            item.setToolTip(problem.detail)
            self.list.addItem(item)
        n = len(self.shown)
        self.intro.setText(
            f"The server did not accept {n} change{'' if n == 1 else 's'}. Nothing is lost: "
            "choose what to do with each."
            if n
            else "Every change reached the server."
        )
        if n:
            self.list.setCurrentRow(0)
        self._enable()

    def _current(self) -> Problem | None:
        row = self.list.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _enable(self) -> None:
        problem = self._current()
        self.retry_button.setEnabled(problem is not None)
        self.keep_button.setEnabled(problem is not None and not problem.whole_table)
        self.undo_button.setEnabled(problem is not None and not problem.whole_table)

    def retry(self) -> None:
        problem = self._current()
        if problem is None:
            return
        try:
            self.problems.retry(problem)
        except PieceLimitReached as limit:
            self.note.setText(str(limit))
            return
        self.note.setText("Sent again with the next sync.")
        self._changed(sync=True)

    def keep(self) -> None:
        problem = self._current()
        if problem is None:
            return
        try:
            table_id = self.problems.keep_as_table(problem, self.shell.sync.plan())
        except TableLimitReached as limit:
            self.note.setText(str(limit))
            return
        name = self.shell.store.table(table_id)
        self.note.setText(f"Kept as the new table “{name.name if name else ''}”.")
        self._changed(sync=True)

    def undo(self) -> None:
        problem = self._current()
        if problem is None:
            return
        self.problems.let_go(problem)
        self.note.setText(f"Undone: {problem.what} stays as the server has it.")
        self._changed(sync=False)

    def _changed(self, *, sync: bool) -> None:
        self.fill()
        self.shell.editor.reload()
        self.controller.refresh()
        if sync and self.shell.sync.server_chosen():
            self.controller.start()


class SyncProblemsFeature:
    """The Sync problems action, the indicator's Details… button, and the status-bar line
    that says why an edit was refused."""

    def __init__(
        self, shell: AppShell, view: WindowView, controller: SyncController, details: QPushButton
    ) -> None:
        self.shell = shell
        self.view = view
        self.controller = controller
        self.problems = SyncProblems(shell.store, shell.catalogue.get)
        self.action = QAction("Sync problems…", view.frame)
        self.action.triggered.connect(self.open)
        details.clicked.connect(self.open)
        controller.more_actions.append(self.action)
        shell.editor.refused.connect(self._refused)
        self.dialog: SyncProblemsDialog | None = None

    def _refused(self, message: str) -> None:
        self.view.show_message(message, 15_000)

    def open(self) -> SyncProblemsDialog:
        if self.dialog is None:
            self.dialog = SyncProblemsDialog(
                self.problems, self.shell, self.controller, self.view.frame
            )
        self.dialog.fill()
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
