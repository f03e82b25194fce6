"""Rendering a table to an image without a window (off-screen VTK, EGL without a display)."""

import os
from collections.abc import Callable
from pathlib import Path

from terrain_desktop.app_data import asset_lookup
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store.local_store import LocalStore


def find_table(store: LocalStore, name_or_id: str) -> LocalTable | None:
    tables = store.tables(include_archived=True)
    return next((t for t in tables if t.id == name_or_id), None) or next(
        (t for t in tables if t.name.casefold() == name_or_id.casefold()), None
    )


def render_table(
    store: LocalStore,
    table: LocalTable,
    out: Path,
    size: tuple[int, int],
    top: bool,
    assets: Callable[[str], LibraryAsset | None] = asset_lookup,
) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    import pyvista as pv

    from terrain_desktop.scene.table_scene import TableScene

    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    try:
        scene = TableScene(plotter, assets)
        scene.set_table(table.width, table.depth)
        scene.set_pieces({p.id: p for p in store.pieces(table.id)})
        if top:
            scene.view_top()
        else:
            scene.view_perspective()
        plotter.screenshot(str(out))
    finally:
        plotter.close()
