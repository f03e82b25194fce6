"""My tables ▸ Archived…: the tables archived here or on another computer, to restore.

Archiving promises "You can restore it later"; this is where. Restoring is the editor's
operation (it checks the plan's table limit first and says why when it is full).
"""

from terrain_desktop.app.editor import Editor
from terrain_desktop.store.local_store import TableLimitReached
from terrain_desktop.ui.qt import (
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


class ArchivedTablesDialog(QDialog):
    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Archived tables")
        self.resize(420, 320)
        self.editor = editor
        self.list = QListWidget()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _: self.restore())
        layout = QVBoxLayout(self)
        for widget in (self.list, self.note, buttons):
            layout.addWidget(widget)
        self.fill()

    def fill(self) -> None:
        self.list.clear()
        for table in self.editor.archived_tables():
            pieces = len(self.editor.store.placements(table.id))
            item = QListWidgetItem(f"{table.name} · {pieces} piece{'' if pieces == 1 else 's'}")
            item.setData(Qt.ItemDataRole.UserRole, table.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.note.setText("No archived tables.")
        self.restore_button.setEnabled(self.list.count() > 0)

    def restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self.editor.restore_table(str(item.data(Qt.ItemDataRole.UserRole)))
        except TableLimitReached as limit:
            self.note.setText(str(limit))
            return
        self.note.setText(f"Restored “{item.text().split(' · ')[0]}”: it is open again.")
        self.fill()
