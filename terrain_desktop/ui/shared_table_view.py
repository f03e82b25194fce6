"""A table opened by its share code: shown read-only in its own window, with Clone.

The view is the same 3D view as the editor's, over a document whose recorder keeps nothing,
and nothing is connected to its edits: pieces cannot be moved, and nothing of someone else's
table reaches the local store until the user clones it. A piece whose model this computer does
not have is drawn as a placeholder block (and filled in when the model arrives).
"""

from collections.abc import Callable

from terrain_desktop.app.sharing import ReadOnlyRecorder, SharedTable
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.qt import (
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from terrain_desktop.ui.viewport import Viewport


class SharedTableView(QDialog):
    def __init__(
        self,
        shared: SharedTable,
        assets: Callable[[str], LibraryAsset | None],
        clone: Callable[[SharedTable], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shared table")
        self.shared = shared
        table = shared.table
        self.setWindowTitle(f"“{table.name}” — shared table (read-only)")
        self.resize(900, 650)
        self.doc = TableDocument(ReadOnlyRecorder(shared), str(table.id), assets)
        self.missing = sum(1 for p in self.doc.pieces.values() if assets(p.asset_id) is None)
        self.info = QLabel(self._describe())
        self.info.setWordWrap(True)
        self.viewport = Viewport(assets, self)
        self.clone_button = QPushButton("Clone into my tables")
        self.clone_button.clicked.connect(lambda: clone(shared))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.clone_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.viewport, 1)
        layout.addWidget(buttons)
        self.viewport.show_document(self.doc)
        self.viewport.command_ready.connect(self._refuse_edit)

    def _refuse_edit(self, _: object) -> None:
        """A drag or a nudge was only a preview here: put the pieces back where they stand."""
        for piece_id, piece in self.doc.pieces.items():
            self.viewport.scene.update_piece(piece_id, piece)
        self.viewport.render()

    def _describe(self) -> str:
        table, count = self.shared.table, len(self.doc.pieces)
        text = (
            f"{table.width} × {table.depth} mm · {count} piece{'' if count == 1 else 's'} · "
            f"code {self.shared.code}. Read-only: clone it into your tables to change it."
        )
        if self.missing:
            text += (
                f" {self.missing} piece{' is' if self.missing == 1 else 's are'} shown as "
                "placeholder blocks: their models are not on this computer yet."
            )
        return text

    def closeEvent(self, event: QCloseEvent) -> None:
        self.viewport.interactor.close()
        super().closeEvent(event)
