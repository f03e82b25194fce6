"""A real main window under Xvfb (pytest-xvfb), on a store in a temporary directory."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from terrain_desktop.app_data import asset_lookup, ensure_sample_table
from terrain_desktop.store.local_store import LocalStore
from terrain_desktop.ui.main_window import MainWindow
from terrain_desktop.ui.qt import QApplication, QTimer, QWidget


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TERRAIN_DESKTOP_DATA", str(tmp_path))
    return tmp_path


@pytest.fixture
def open_window(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[[], MainWindow]]:
    """Opens the app as a user would: the store in the data directory, the window shown."""
    windows: list[MainWindow] = []

    def open_() -> MainWindow:
        store = LocalStore(data_dir / "terrain.sqlite")
        ensure_sample_table(store)
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.raise_()
        qtbot.waitUntil(window.isActiveWindow)  # keyboard shortcuts go to the active window
        windows.append(window)
        return window

    yield open_
    for window in windows:
        if window.isVisible():
            window.close()


def answer_next_dialog(qtbot: QtBot, respond: Callable[[QWidget], None]) -> None:
    """When the next modal dialog opens, let `respond` fill it in as a user would."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, check)
            return
        respond(dialog)

    QTimer.singleShot(0, check)


def screenshot(window: MainWindow) -> Any:
    window.viewport.render()
    return np.asarray(window.viewport.interactor.screenshot(return_img=True))


def assert_not_blank(image: Any) -> None:
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert float(image.reshape(-1, image.shape[2]).std(axis=0).mean()) > 10.0


def _chroma(rgb: Any) -> Any:
    rgb = np.asarray(rgb, dtype=float)[:3]
    return rgb / max(rgb.sum(), 1.0)


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def assert_piece_shown_at(window: MainWindow, piece_id: str, image: Any) -> None:
    """Where the model says the piece stands, the view shows the piece's colour and a pick
    there finds the piece."""
    piece = window.doc.pieces[piece_id]  # type: ignore[union-attr]
    asset = asset_lookup(piece.asset_id)
    assert asset is not None
    height = asset.size_mm[2] * piece.scale
    dx, dy = window.viewport.scene.display_point(piece.x, piece.y, piece.z + height / 2)
    assert window.viewport.scene.pick(dx, dy) == piece_id
    row, col = image.shape[0] - 1 - round(dy), round(dx)
    patch = image[max(row - 2, 0) : row + 3, max(col - 2, 0) : col + 3].reshape(-1, image.shape[2])
    seen = _chroma(patch.mean(axis=0))
    from terrain_desktop.scene.table_scene import TABLE_COLOUR

    to_piece = np.abs(seen - _chroma(_hex(asset.colour))).sum()
    to_table = np.abs(seen - _chroma(_hex(TABLE_COLOUR))).sum()
    assert to_piece < to_table, (seen, asset.colour)
