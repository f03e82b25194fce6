"""Start-up draws the last table before it loads the store, the docks and online features.

The usable window is timed against a bare PyVista window (benchmarks/startup.py); what the app
imports on the way is what it costs beyond one. This checks, in a fresh process run as
`terrain-desktop` starts, that the heavy libraries are not imported before the first frame (a
new dock or menu that imports one at module level fails here: import it in `MainWindow.finish`
or where it is used), and that matplotlib, which pyvista imports, is not imported at all by
the time the window is usable, nor httpx or SQLAlchemy.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from terrain_desktop.app_data import asset_lookup, ensure_sample_table, store_path
from terrain_desktop.scene.meshes import MeshCache
from terrain_desktop.store.local_store import LocalStore

#: Loaded only after the first frame (each costs from a tenth of a second to seconds here).
HEAVY = (
    "matplotlib",
    "sqlalchemy",
    "pydantic",
    "httpx",
    "keyring",
    "trimesh",
    "shapely",
    "reportlab",
    "qtawesome",
    "terrain_desktop.store.local_store",
    "terrain_desktop.sync",
    "terrain_desktop.planning",
    "terrain_desktop.app.editor",
)

CHILD = """
import json, sys
from terrain_desktop.ui.qt import QApplication, QTimer
from terrain_desktop.ui.app import open_window

app = QApplication(sys.argv)
window = open_window(app)
seen = {}

def drawing(*_):  # what was imported before the first frame (the rest loads after it)
    if "first" not in seen:
        seen["first"] = sorted(sys.modules)
        seen["title"] = window.windowTitle()
        seen["pieces"] = len(window.viewport.scene.actors)

window.viewport.interactor.render_window.AddObserver("StartEvent", drawing)

def usable():  # the window complete, and one more turn of the event loop
    assert "first" in seen
    seen["after"] = sorted(sys.modules)
    seen["docks"] = window.drawer.list.count()
    seen["doc_pieces"] = len(window.doc.pieces)
    seen["menus"] = [a.text() for a in window.menuBar().actions()]
    print(json.dumps(seen), flush=True)
    app.quit()

window.ready.connect(lambda: QTimer.singleShot(0, usable))
app.exec()
"""


def test_the_first_frame_shows_the_last_table_before_the_heavy_imports(data_dir: Path) -> None:
    store = LocalStore(store_path())
    ensure_sample_table(store)
    pieces = store.pieces(store.tables()[0].id)
    store.close()
    expected = len(pieces)
    # A later launch: the first one left the pieces' level-of-detail ladders on disk.
    meshes = MeshCache()
    for piece in pieces:
        asset = asset_lookup(piece.asset_id)
        assert asset is not None
        meshes.tiers(asset.mesh_path)

    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        env={**os.environ, "TERRAIN_DESKTOP_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    loaded_first = [m for m in HEAVY if any(n == m or n.startswith(m + ".") for n in seen["first"])]
    assert loaded_first == []
    # That first frame already showed the table the user last had open, all its pieces...
    assert seen["pieces"] == expected and seen["title"].startswith("Sample table")
    # ...and then the window was completed: store, docks, the same table to edit.
    assert "terrain_desktop.store.local_store" in seen["after"]
    assert "terrain_desktop.app.editor" in seen["after"]
    assert seen["doc_pieces"] == expected and seen["docks"] > 0
    assert {"&File", "&Edit", "&View"} <= set(seen["menus"])
    # pyvista imports matplotlib (colour maps, charts); the window uses neither, and never
    # pays for it (terrain_desktop/ui/plotting_import.py).
    assert not [n for n in seen["after"] if n == "matplotlib" or n.startswith("matplotlib.")]
    # Nor does a window that has made no request yet pay for the HTTP client (sync/client.py).
    assert not [n for n in seen["after"] if n == "httpx" or n.startswith("httpx.")]
    # The store is plain sqlite3: SQLAlchemy (a quarter of a second) is the server's only.
    assert not [n for n in seen["after"] if n == "sqlalchemy" or n.startswith("sqlalchemy.")]
