"""An artist's public profile: who they are, their published models, their public tables.

The profile and both lists come in one background call; the models' thumbnails follow from
the disk cache or the server. Clicking a model emits `asset_opened`.
"""

import uuid

from terrain_desktop.app import in_words
from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.sync.catalogue_client import ArtistProfile
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.catalogue_thumbs import icon, load_thumbnails, placeholder
from terrain_desktop.ui.qt import (
    QImage,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from terrain_protocol.catalogue import AssetOut

ICON = 72
ASSET_ROLE = Qt.ItemDataRole.UserRole


def asset_grid(icon_size: int = ICON) -> QListWidget:
    grid = QListWidget()
    grid.setViewMode(QListWidget.ViewMode.IconMode)
    grid.setIconSize(QSize(icon_size, icon_size))
    grid.setGridSize(QSize(icon_size + 40, icon_size + 36))
    grid.setResizeMode(QListWidget.ResizeMode.Adjust)
    grid.setMovement(QListWidget.Movement.Static)
    grid.setWordWrap(True)
    return grid


def fill_grid(
    grid: QListWidget, browsing: CatalogueBrowsing, assets: list[AssetOut]
) -> BackgroundOp[int]:
    """Show the assets at once with blank icons; their thumbnails arrive in the background."""
    grid.clear()
    blank = placeholder(ICON)
    for asset in assets:
        item = QListWidgetItem(blank, asset.name)
        item.setData(ASSET_ROLE, asset)
        grid.addItem(item)

    def each(index: int, image: QImage | None) -> None:
        item = grid.item(index)
        if item is not None and image is not None and item.data(ASSET_ROLE) is assets[index]:
            item.setIcon(icon(image))

    return load_thumbnails(browsing, assets, ICON, each, lambda: None, owner=grid)


class ArtistView(QWidget):
    #: A model of the artist's was clicked: its `AssetOut`.
    asset_opened = Signal(object)

    def __init__(self, browsing: CatalogueBrowsing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browsing = browsing
        self.profile: ArtistProfile | None = None
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.bio = QLabel()
        self.bio.setWordWrap(True)
        self.link = QLabel()
        self.link.setOpenExternalLinks(True)
        self.models_label = QLabel("Models")
        self.models = asset_grid()
        self.tables_label = QLabel("Public tables")
        self.tables = QListWidget()
        self.tables.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        for widget in (self.name, self.bio, self.link, self.models_label):
            layout.addWidget(widget)
        layout.addWidget(self.models, 1)
        layout.addWidget(self.tables_label)
        layout.addWidget(self.tables)
        self.models.itemClicked.connect(lambda item: self.asset_opened.emit(item.data(ASSET_ROLE)))
        self._op: BackgroundOp[ArtistProfile] | None = None

    def show_artist(self, artist_id: uuid.UUID) -> None:
        self.profile = None
        self.name.setText("Loading the artist's profile…")
        self.bio.clear()
        self.link.clear()
        self.models.clear()
        self.tables.clear()
        if self._op is not None:
            self._op.cancel()
        self._op = BackgroundOp.run(self.browsing.artist_work(artist_id), self._shown, self._failed)

    def _shown(self, profile: ArtistProfile) -> None:
        self.profile = profile
        artist = profile.artist
        self.name.setText(artist.artist_name or artist.display_name or "Artist")
        self.bio.setText(artist.artist_bio or "")
        url = artist.artist_url
        self.link.setText(f'<a href="{url}">{url}</a>' if url else "")
        self.models_label.setText(f"Models ({artist.published_model_count})")
        fill_grid(self.models, self.browsing, profile.models)
        self.tables_label.setText(f"Public tables ({artist.public_table_count})")
        for table in profile.tables:
            line = f"{table.name} · {table.width} × {table.depth} mm"
            self.tables.addItem(f"{line} · code {table.share_code}" if table.share_code else line)

    def _failed(self, error: Exception) -> None:
        self.name.setText(f"The artist's profile could not be loaded ({in_words.reason(error)}).")
