"""A table opened by its share code: shown read-only in its own window, with Clone.

The view is the same 3D view as the editor's, over a document whose recorder keeps nothing,
and nothing is connected to its edits: pieces cannot be moved, and nothing of someone else's
table reaches the local store until the user clones it. A piece whose model this computer does
not have is drawn as a placeholder block while its mesh downloads into the shared mesh cache
(meshes on demand, `app/mesh_downloads.py`), and swapped for it when it arrives.
"""

from collections.abc import Callable

from terrain_desktop.app import in_words, mesh_downloads
from terrain_desktop.app.mesh_downloads import DownloadReport, MeshProgress
from terrain_desktop.app.sharing import ReadOnlyRecorder, SharedTable
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.background import BackgroundOp, OpContext
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
        catalogue: Catalogue,
        clone: Callable[[SharedTable], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shared table")
        self.shared = shared
        table = shared.table
        self.setWindowTitle(f"“{table.name}” — shared table (read-only)")
        self.resize(900, 650)
        self.catalogue = catalogue
        self.doc = TableDocument(ReadOnlyRecorder(shared), str(table.id), catalogue.get)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.viewport = Viewport(catalogue.get, self)
        self.downloading: BackgroundOp[DownloadReport] | None = None
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
        self.info.setText(self._describe())

    @property
    def missing(self) -> int:
        """Pieces drawn as placeholders: their meshes are not on this computer (yet)."""
        return len(self.viewport.scene.placeholders)

    def fetch_meshes(self, sync: SyncOperation) -> None:
        """Download the meshes the placeholders stand for, in the background."""
        local = mesh_downloads.local_ids(sync.store)
        cache = self.catalogue.meshes
        wanted = dict.fromkeys(p.asset_id for p in self.doc.pieces.values())
        needed = [a for a in wanted if a and a not in local and cache.path(a) is None]
        if not needed:
            return
        client = sync.api_client()

        def work(context: OpContext) -> DownloadReport:
            try:
                return mesh_downloads.download(
                    client, cache, needed, context.report, lambda: context.cancelled
                )
            finally:
                client.close()

        self.downloading = BackgroundOp(
            work, self._downloaded, self._download_failed, self._progress
        ).start()

    def _progress(self, progress: object) -> None:
        if not isinstance(progress, MeshProgress):
            return
        if progress.stage in ("known", "done"):
            self.catalogue.forget(progress.asset_id)
            if self.viewport.scene.refill(progress.asset_id, self.doc.pieces):
                self.viewport.request_render()
        self.info.setText(f"{self._describe()}\n{progress.message()}")

    def _downloaded(self, report: DownloadReport) -> None:
        for asset_id in report.failed:
            self.catalogue.forget(asset_id)
            self.viewport.scene.refill(asset_id, self.doc.pieces)
        self.viewport.request_render()
        note = f"\n{report.message()}" if report.offline or report.failed else ""
        self.info.setText(self._describe() + note)

    def _download_failed(self, error: Exception) -> None:
        self.info.setText(
            f"{self._describe()}\nCould not download meshes ({in_words.reason(error)})."
        )

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
                "placeholder blocks until their models arrive."
            )
        return text

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.downloading is not None:
            self.downloading.cancel()
        self.viewport.interactor.close()
        super().closeEvent(event)
