"""Share a table: its code (to copy and send), and whether it is public.

Anyone with the code can open the table read-only and clone it, public or not; a public table
is also listed for everyone. The code is the server's, so a table that has never synced has
none yet: the dialog asks for a sync and shows the code when it arrives.
"""

from collections.abc import Callable

from terrain_desktop.app.sharing import SharingOperation
from terrain_desktop.app.sync_status import SyncStatus
from terrain_desktop.ui.qt import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.sync_controller import SyncController

NO_CODE = "The table gets its code when it first reaches the server; syncing now…"


class ShareDialog(QDialog):
    def __init__(
        self,
        table_id: str,
        sharing: SharingOperation,
        controller: SyncController,
        edited: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("share dialog")
        self.table_id = table_id
        self.sharing = sharing
        self.controller = controller
        self.edited = edited
        table = sharing.store.table(table_id)
        self.setWindowTitle(f"Share “{table.name if table else ''}”")
        self.note = QLabel(
            "Anyone with this code can open the table (read-only) and clone it: "
            "File → Open shared table…"
        )
        self.note.setWordWrap(True)
        self.code = QLineEdit(readOnly=True)
        self.code.setMinimumWidth(220)
        self.copy_button = QPushButton("Copy code")
        self.copy_button.clicked.connect(self.copy_code)
        self.public = QCheckBox("Public: also listed for everyone to find")
        self.public.setChecked(bool(table and table.is_public))
        self.public.toggled.connect(self._public_toggled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.code)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(row)
        layout.addWidget(self.public)
        layout.addWidget(buttons)
        controller.finished.connect(self._synced)
        self.finished.connect(lambda _: controller.finished.disconnect(self._synced))
        self._show_code()
        if not self.code.text():
            self.sharing.to_server(table_id)
            controller.start()

    def _show_code(self) -> None:
        table = self.sharing.store.table(self.table_id)
        code = table.share_code if table else None
        self.code.setText(code or "")
        self.code.setPlaceholderText("" if code else NO_CODE)
        self.copy_button.setEnabled(bool(code))

    def _synced(self, _: SyncStatus) -> None:
        self._show_code()

    def copy_code(self) -> None:
        QApplication.clipboard().setText(self.code.text())
        self.copy_button.setText("Copied")

    def _public_toggled(self, public: bool) -> None:
        self.sharing.set_public(self.table_id, public)
        self.edited()
