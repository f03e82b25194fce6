"""Meshes on demand in the window: when a table opens (a sync brought it or its pieces) or its
library grows, the server meshes it lacks are downloaded in the background, with progress in
the status bar; each mesh swaps in for its placeholder as it arrives. Offline, the
placeholders stay and the download is tried again a little later (and after every sync).
"""

from collections.abc import Callable, Iterable

from terrain_desktop.app import in_words, mesh_downloads
from terrain_desktop.app.editor import Editor
from terrain_desktop.app.mesh_downloads import DownloadReport, MeshProgress
from terrain_desktop.app.syncing import SyncOperation
from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.qt import QObject, QProgressBar, QTimer, Signal
from terrain_desktop.ui.viewport import Viewport

ShowMessage = Callable[[str, int], None]
#: After an offline attempt, the next one comes this much later (milliseconds).
RETRY_MS = 15_000


class MeshFetcher(QObject):
    #: An asset's mesh (or what is known of it) arrived; the drawer and panels may redraw.
    arrived = Signal(str)
    #: A round ended (its report), whatever came of it.
    finished = Signal(object)

    def __init__(
        self,
        editor: Editor,
        catalogue: Catalogue,
        sync: SyncOperation,
        viewport: Viewport,
        show: ShowMessage,
        bar: QProgressBar,
    ) -> None:
        super().__init__(viewport)
        self.editor = editor
        self.catalogue = catalogue
        self.sync = sync
        self.viewport = viewport
        self.show = show
        self.bar = bar
        bar.setRange(0, 100)
        bar.setMaximumWidth(160)
        bar.setVisible(False)
        self.running: BackgroundOp[DownloadReport] | None = None
        self.last: DownloadReport | None = None
        self._again = False
        #: Assets to ask the server about again (bought: their full tiers may come now).
        self._refresh: set[str] = set()
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self.fetch)
        editor.table_opened.connect(self._opened)
        editor.library_changed.connect(lambda _: self.fetch())

    def _opened(self, doc: TableDocument | None) -> None:
        if doc is not None:
            self.fetch()

    def fetch(self) -> None:
        """Download what the open table lacks (one round at a time; a request during a round
        starts another after it)."""
        doc = self.editor.doc
        if doc is None:
            return
        if self.running is not None and self.running.running:
            self._again = True
            return
        self.retry.stop()
        wanted = mesh_downloads.wanted(self.editor.store, doc.table_id)
        cache = self.catalogue.meshes
        cache.pinned = {p.asset_id for p in doc.pieces.values()}  # drawn: never evicted
        refresh = self._refresh & set(wanted)
        self._refresh -= refresh
        if not refresh and not any(self._lacking(a) for a in wanted):
            return  # the usual case after an edit: no network, no keyring
        client = self.sync.api_client()

        def work(context: OpContext) -> DownloadReport:
            try:
                needed = [a for a in wanted if a in refresh or mesh_downloads.incomplete(cache, a)]
                return mesh_downloads.download(
                    client,
                    cache,
                    needed,
                    context.report,
                    lambda: context.cancelled,
                    refresh=refresh,
                )
            finally:
                client.close()

        self.running = BackgroundOp(work, self._done, self._failed, self._progress).start()

    def refresh(self, asset_ids: Iterable[str]) -> None:
        """After a purchase: ask the server again which tiers this device may have (now the
        full ones) and fetch them; the pieces lose their preview mark as they arrive."""
        self._refresh.update(asset_ids)
        self.fetch()

    def cancel(self) -> None:
        """Stop the downloads under way (what has arrived stays; the rest waits for the next
        sync or change to the library)."""
        if self.running is None or not self.running.running:
            return
        self.running.cancel()
        self._again = False
        self.retry.stop()
        self.bar.setVisible(False)
        self.show("Mesh downloads stopped: placeholders stay until the next sync.", 10_000)

    def _lacking(self, asset_id: str) -> bool:
        asset = self.catalogue.get(asset_id)
        if asset is None or not asset.mesh_path.is_file():
            return True
        return mesh_downloads.incomplete(self.catalogue.meshes, asset_id)

    def _progress(self, progress: object) -> None:
        if not isinstance(progress, MeshProgress):
            return
        if progress.stage in ("known", "done"):
            self._swap_in(progress.asset_id)
            return
        self.bar.setVisible(True)
        self.bar.setFormat(f"{progress.index}/{progress.count} %p%")
        self.bar.setValue(progress.percent or 0)
        self.show(progress.message(), 0)

    def _swap_in(self, asset_id: str) -> None:
        """The mesh is on disk: the pieces showing a placeholder for it show it now."""
        self.catalogue.forget(asset_id)
        doc = self.viewport.doc
        if doc is not None and self.viewport.scene.refill(asset_id, doc.pieces):
            self.viewport.scene.highlight(set())
            self.viewport.scene.highlight(doc.selection)
            self.viewport.request_render()
        self.arrived.emit(asset_id)

    def _done(self, report: DownloadReport) -> None:
        self.last = report
        self.bar.setVisible(False)
        for asset_id in report.failed:  # what is known of it may have changed: redraw
            self._swap_in(asset_id)
        if report.offline:
            self._refresh_placeholders()
            self.retry.start()
        if report.downloaded or report.failed or report.offline:
            self.show(report.message(), 10_000)
        self.finished.emit(report)
        if self._again:
            self._again = False
            self.fetch()

    def _refresh_placeholders(self) -> None:
        """What is known of the assets (their size) may have arrived before the server went
        away: placeholders take it."""
        doc = self.viewport.doc
        if doc is None:
            return
        for asset_id in set(self.viewport.scene.placeholders.values()):
            self._swap_in(asset_id)

    def _failed(self, error: Exception) -> None:
        self.bar.setVisible(False)
        self.show(f"Could not download meshes ({in_words.reason(error)}).", 15_000)
        self.retry.start()
        self.finished.emit(DownloadReport(failed={"": in_words.reason(error)}))
