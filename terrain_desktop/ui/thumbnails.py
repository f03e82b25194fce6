"""Thumbnails of tables for My tables: the view grabbed, small, as the user leaves a table or
quits, and only when the table changed since its thumbnail was made (a grab costs a frame)."""

from pathlib import Path

from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.qt import Qt, QWidget
from terrain_desktop.ui.tables_panel import THUMB_H, THUMB_W


class TableThumbnails:
    def __init__(self, view: QWidget, folder: Path) -> None:
        self.view = view
        self.folder = folder
        self._table: str | None = None
        self._stale = False

    def path(self, table_id: str) -> Path:
        return self.folder / f"{table_id}.png"

    def opened(self, doc: TableDocument | None) -> None:
        """A table is shown now: keep the one being left first."""
        self.save()
        self._table = doc.table_id if doc is not None else None
        self._stale = self._table is not None and not self.path(self._table).exists()
        if doc is not None:
            doc.pieces_changed.connect(lambda _: self.touched())

    def touched(self) -> None:
        self._stale = True

    def save(self) -> None:
        if self._table is None or not self._stale or not self.view.isVisible():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        image = self.view.grab().scaled(
            THUMB_W * 2, THUMB_H * 2, Qt.AspectRatioMode.KeepAspectRatioByExpanding
        )
        image.save(str(self.path(self._table)))
        self._stale = False
