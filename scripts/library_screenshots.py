"""Screenshots of the table library and meshes on demand for docs/screenshots/ (run under a
display or xvfb-run); no server needed, the window is offline on purpose:

xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python scripts/library_screenshots.py
"""

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
#: Server assets this computer knows but whose meshes never came: (id, name, category, size).
REMOTE = [
    ("5b0c7d3e-8f0a-4c55-9d0e-6f1e2a3b4c01", "Gothic chapel", "buildings", (160.0, 120.0, 140.0)),
    ("5b0c7d3e-8f0a-4c55-9d0e-6f1e2a3b4c02", "Crater field", "hills", (220.0, 180.0, 30.0)),
]


def main() -> None:
    data = Path(tempfile.mkdtemp())
    os.environ["TERRAIN_DESKTOP_DATA"] = str(data)  # the mesh cache goes beside the store
    from terrain_desktop.app_data import ensure_sample_table
    from terrain_desktop.store.local_store import LocalStore
    from terrain_desktop.store.mesh_cache import AssetInfo, DisplayMeshCache
    from terrain_desktop.ui.main_window import MainWindow
    from terrain_desktop.ui.qt import QApplication

    app = QApplication(sys.argv)
    store = LocalStore(data / "terrain.sqlite")
    ensure_sample_table(store)
    table = store.tables()[0].id
    cache = DisplayMeshCache()
    for (asset_id, name, category, size), (x, y) in zip(
        REMOTE, [(300, 450), (880, 720)], strict=True
    ):
        cache.remember(AssetInfo(asset_id, name, category, (category,), size))
        store.add_library_asset(table, asset_id)
        store.add_placement(table, asset_id, x=x, y=y)
    store.set_meta("server_url", "http://127.0.0.1:9")  # nothing answers: offline

    window = MainWindow(store)
    window.resize(1600, 1000)
    window.show()

    def settle(until: object = None, rounds: int = 400) -> None:
        for _ in range(rounds):
            app.processEvents()
            if until is not None and until():  # type: ignore[operator]
                return
            QApplication.instance().thread().msleep(25)  # type: ignore[union-attr]

    def save(name: str) -> None:
        window.viewport.render()
        QApplication.processEvents()
        window.grab().save(str(OUT / name))
        print("wrote", OUT / name)

    settle(lambda: window.library.fetcher.last is not None)
    window.library.dock.raise_()
    settle(rounds=10)
    save("library-placeholders-offline.png")

    panel = window.library.panel
    panel.search.setText("barrel")
    settle(rounds=5)
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    settle(rounds=10)
    save("library-remove-undo.png")
    window.close()


if __name__ == "__main__":
    main()
