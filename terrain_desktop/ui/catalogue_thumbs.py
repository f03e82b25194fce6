"""Thumbnails of catalogue assets, fetched (or read from the disk cache) in the background.

One background op per batch (a page of results, a set, an artist's models): it takes each
thumbnail from the disk cache or the server, a few at once (each request waits mostly on the
network), decodes it into a `QImage` off the GUI thread (`QImage` may be used from any
thread) and reports it as it comes; the GUI thread only turns it into a pixmap and sets the
icon. A new search cancels the old batch: what has not started is skipped.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.qt import QColor, QIcon, QImage, QObject, QPixmap, QSize, Qt
from terrain_protocol.catalogue import AssetOut

KEEP_ASPECT = Qt.AspectRatioMode.KeepAspectRatio
SMOOTH = Qt.TransformationMode.SmoothTransformation
#: Thumbnail requests in flight at once per batch.
FETCHES_AT_ONCE = 4


@dataclass(frozen=True)
class _Fetched:
    index: int
    image: QImage | None


def placeholder(size: int) -> QIcon:
    """What an item shows until its thumbnail arrives."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(QColor("#e4e0d8"))
    return QIcon(pixmap)


def icon(image: QImage) -> QIcon:
    """An icon of an image already scaled (in the background) to the list's icon size."""
    return QIcon(QPixmap.fromImage(image))


def load_thumbnails(
    browsing: CatalogueBrowsing,
    assets: list[AssetOut],
    size: int,
    on_each: Callable[[int, QImage | None], None],
    on_done: Callable[[], None],
    owner: QObject,
) -> BackgroundOp[int]:
    """Fetch the batch's thumbnails, scaled to `size` pixels; `on_each(index, image)` for each
    as it comes (None when it has none or could not be had), then `on_done()`. Nothing is
    reported once `owner` (the list showing them) has been deleted: a closed window's late
    pictures are dropped, not set on dead items."""
    client = browsing.client()

    def work(context: OpContext) -> int:
        def fetch(index: int) -> _Fetched:
            if context.cancelled:
                return _Fetched(index, None)
            try:
                path = browsing.thumbnail(client, assets[index])
            except Exception:  # one missing picture must not stop the page; it stays blank
                return _Fetched(index, None)
            image = QImage(str(path)) if path is not None else None
            if image is None or image.isNull():
                return _Fetched(index, None)
            return _Fetched(index, image.scaled(size, size, KEEP_ASPECT, SMOOTH))

        with ThreadPoolExecutor(FETCHES_AT_ONCE, thread_name_prefix="thumbnails") as pool:
            for done in as_completed([pool.submit(fetch, i) for i in range(len(assets))]):
                context.report(done.result())
        return len(assets)

    def progress(item: object) -> None:
        if isinstance(item, _Fetched):
            on_each(item.index, item.image)

    return BackgroundOp(
        work, lambda _: on_done(), lambda _: on_done(), progress, owner=owner
    ).start()
