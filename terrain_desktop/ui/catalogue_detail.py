"""One catalogue asset in detail: a 3D preview of its display mesh, its size, triangles,
artist, price and licence, and what one can do with it.

Beside it, the server's pictures of the full mesh (four angles): the 3D preview of a model
one does not own is a lighter preview tier, the pictures show the full detail.

The display mesh is fetched (or read from the disk cache) and parsed in the background; the
preview (the import preview's widget: the model on a 25 mm grid) is made on first use, since a
3D widget costs start-up. "Add to this table" and "Add to cart" are signals: the window (and
the cart, when there is one) decide what they do.
"""

from pathlib import Path

import numpy as np

from terrain_desktop.app import in_words
from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.browsing import CatalogueBrowsing
from terrain_desktop.domain.catalogue import category_label
from terrain_desktop.domain.units import LengthUnit, format_size
from terrain_desktop.scene import glb
from terrain_desktop.ui.background import BackgroundOp
from terrain_desktop.ui.catalogue_browser import price_text
from terrain_desktop.ui.import_preview import ImportPreview
from terrain_desktop.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPixmap,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)
from terrain_protocol import catalogue as protocol_catalogue
from terrain_protocol.catalogue import AssetOut

Mesh = tuple[np.ndarray, np.ndarray]
#: Pixels across each of the server's pictures as the detail shows them.
VIEW_PIXELS = 120

#: What the detail says when the server states no licence for an asset.
DEFAULT_LICENCE = "not stated (ask the artist)"


def licence_text(asset: AssetOut) -> str:
    """The asset's licence in words. Assets carry a licence code from the artists' uploads
    on (`AssetOut.licence`, worded by `terrain_protocol.catalogue.LICENCES`); a server
    without them states none."""
    code = getattr(asset, "licence", None)
    if not code:
        return DEFAULT_LICENCE
    words: dict[str, str] = getattr(protocol_catalogue, "LICENCES", {})
    return words.get(str(code), str(code))


def read_mesh(path: Path | None) -> Mesh | None:
    """The display mesh's vertices and triangles (background: parsing costs time)."""
    if path is None:
        return None
    plain = glb.read_triangles(path)
    if plain is not None:
        return plain
    import trimesh

    mesh = trimesh.load(path, force="mesh", process=False)
    return np.asarray(mesh.vertices, dtype=np.float32), np.asarray(mesh.faces)


def size_text(asset: AssetOut, unit: LengthUnit = LengthUnit.MM) -> str:
    """The asset's size in the units setting."""
    if asset.width is None or asset.depth is None or asset.height is None:
        return "not measured"
    size = (float(asset.width), float(asset.depth), float(asset.height))
    return f"{format_size(size, unit)} (w × d × h)"


class AssetDetailView(QWidget):
    #: "Add to this table" was clicked: the `AssetOut`.
    add_requested = Signal(object)
    #: "Add to cart" was clicked (the button shows once `cart_button` is made visible).
    cart_requested = Signal(object)
    #: The artist's name was clicked: their id (`uuid.UUID`).
    artist_requested = Signal(object)

    def __init__(self, browsing: CatalogueBrowsing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browsing = browsing
        self.asset: AssetOut | None = None
        self.preview: ImportPreview | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.preview_note = QLabel("Loading the 3D preview…")
        self.artist = QPushButton()
        self.artist.setFlat(True)
        self.artist.setStyleSheet("text-align: left; color: #2a5db0;")
        self.dimensions = QLabel()
        self.triangles = QLabel()
        self.price = QLabel()
        self.licence = QLabel()
        self.licence.setWordWrap(True)
        self.category = QLabel()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.add_button = QPushButton("Add to this table")
        self.cart_button = QPushButton("Add to cart")
        self.cart_button.setVisible(False)
        form = QFormLayout()
        form.addRow("Artist", self.artist)
        form.addRow("Size", self.dimensions)
        form.addRow("Triangles", self.triangles)
        form.addRow("Price", self.price)
        form.addRow("Licence", self.licence)
        form.addRow("Category", self.category)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cart_button)
        buttons.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.preview_note)
        self.views = [QLabel() for _ in range(4)]
        pictures = QHBoxLayout()
        for label in self.views:
            label.setVisible(False)
            pictures.addWidget(label)
        pictures.addStretch(1)
        self._layout.addLayout(pictures)
        self._layout.addLayout(form)
        self._layout.addWidget(self.description)
        self._layout.addLayout(buttons)
        self._layout.addStretch(1)
        self.add_button.clicked.connect(lambda: self._emit(self.add_requested))
        self.cart_button.clicked.connect(lambda: self._emit(self.cart_requested))
        self.artist.clicked.connect(
            lambda: self.asset and self.artist_requested.emit(self.asset.artist_id)
        )
        self._loading: BackgroundOp[Mesh | None] | None = None
        self._pictures: BackgroundOp[list[bytes]] | None = None
        self.mesh_shown = False

    def _emit(self, signal: SignalInstance) -> None:
        if self.asset is not None:
            signal.emit(self.asset)

    def show_asset(self, asset: AssetOut) -> None:
        self.asset = asset
        self.mesh_shown = False
        self.title.setText(asset.name)
        self.artist.setText(asset.artist_name or "Unknown artist")
        unit = self.browsing.sync.preferences.get(prefs.LENGTH_UNIT)  # View ▸ Show inches
        self.dimensions.setText(size_text(asset, unit))
        self.triangles.setText(f"{asset.poly_count:,}" if asset.poly_count else "not measured")
        if not asset.full_access:  # the search answers as for a stranger: ask as ourselves
            BackgroundOp.run(
                self.browsing.access_work(asset),
                lambda full: self._access(asset, full),
                lambda _error: self._access(asset, False),
                owner=self,
            )
        self.price.setText(price_text(asset.base_price))
        self.licence.setText(licence_text(asset))
        tags = ", ".join(asset.tags)
        category = category_label(asset.category or "other")
        self.category.setText(f"{category}{f' · {tags}' if tags else ''}")
        self.description.setText(asset.description or "")
        self.preview_note.setText("Loading the 3D preview…")
        self.preview_note.setVisible(True)
        if self.preview is not None:
            self.preview.setVisible(False)
        if self._loading is not None:
            self._loading.cancel()
        self._show_views(asset)
        fetch = self.browsing.display_work(asset)
        self._loading = BackgroundOp.run(
            lambda: read_mesh(fetch()),
            lambda mesh: self._mesh(asset, mesh),
            lambda error: self._no_mesh(asset, error),
            owner=self,  # a closed catalogue drops a late answer
        )

    def _access(self, asset: AssetOut, full: bool) -> None:
        """Mark the 3D view a preview when this device may have only the preview tiers."""
        if asset is self.asset and not full:
            self.triangles.setText(f"{self.triangles.text()} (3D view: preview)")

    def _show_views(self, asset: AssetOut) -> None:
        for label in self.views:
            label.clear()
            label.setVisible(False)
        if self._pictures is not None:
            self._pictures.cancel()
        if asset.view_urls:
            self._pictures = BackgroundOp.run(
                self.browsing.views_work(asset),
                lambda pictures: self._views(asset, pictures),
                lambda _error: None,  # the pictures are extra: the page works without them
                owner=self,
            )

    def _views(self, asset: AssetOut, pictures: list[bytes]) -> None:
        if asset is not self.asset:
            return
        for label, data in zip(self.views, pictures, strict=False):
            pixmap = QPixmap()
            if pixmap.loadFromData(data, "PNG"):
                label.setPixmap(
                    pixmap.scaled(
                        VIEW_PIXELS,
                        VIEW_PIXELS,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
                label.setToolTip("The full model, rendered by the server")
                label.setVisible(True)

    def _mesh(self, asset: AssetOut, mesh: Mesh | None) -> None:
        if asset is not self.asset:
            return
        if mesh is None:
            self.preview_note.setText("This asset has no 3D preview yet.")
            return
        if self.preview is None:
            self.preview = ImportPreview(*mesh, parent=self)
            self._layout.insertWidget(1, self.preview, 1)
        else:
            self.preview.set_model(*mesh)
        self.preview.setVisible(True)
        self.preview_note.setVisible(False)
        self.preview.show_at(1.0)
        self.mesh_shown = True

    def _no_mesh(self, asset: AssetOut, error: Exception) -> None:
        if asset is self.asset:
            self.preview_note.setText(
                f"The 3D preview could not be loaded ({in_words.reason(error)})."
            )

    def close_preview(self) -> None:
        if self.preview is not None:
            self.preview.close()
