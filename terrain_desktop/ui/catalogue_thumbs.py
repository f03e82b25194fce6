"""Thumbnails of catalogue assets, fetched (or read from the disk cache) in the background.

One background op per batch (a page of results, a set, an artist's models): it walks the
batch in order, takes each thumbnail from the disk cache or the server, decodes it into a
`QImage` off the GUI thread (`QImage` may be used from any thread) and reports it; the GUI
thread only turns it into a pixmap and sets the icon. A new search cancels the old batch.
"""

from collections.abc import Callable
from dataclasses import dataclass

from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.ui.background import BackgroundOp, OpContext
from terrain_desktop.ui.qt import QColor, QIcon, QImage, QPixmap, QSize, Qt
from terrain_protocol.catalogue import AssetOut


@dataclass(frozen=True)
class _Fetched:
    index: int
    image: QImage | None


def placeholder(size: int) -> QIcon:
    """What an item shows until its thumbnail arrives."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(QColor("#e4e0d8"))
    return QIcon(pixmap)


def icon(image: QImage, size: int) -> QIcon:
    scaled = image.scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return QIcon(QPixmap.fromImage(scaled))


def load_thumbnails(
    browsing: CatalogueBrowsing,
    assets: list[AssetOut],
    on_each: Callable[[int, QImage | None], None],
    on_done: Callable[[], None],
) -> BackgroundOp[int]:
    """Fetch the batch's thumbnails in order; `on_each(index, image)` for each (None when it
    has none or could not be had), then `on_done()`."""
    client = browsing.client()

    def work(context: OpContext) -> int:
        for index, asset in enumerate(assets):
            if context.cancelled:
                break
            try:
                path = browsing.thumbnail(client, asset)
            except Exception:  # one missing picture must not stop the page; it stays blank
                path = None
            image = QImage(str(path)) if path is not None else None
            context.report(_Fetched(index, image if image and not image.isNull() else None))
        return len(assets)

    def progress(item: object) -> None:
        if isinstance(item, _Fetched):
            on_each(item.index, item.image)

    return BackgroundOp(work, lambda _: on_done(), lambda _: on_done(), progress).start()
