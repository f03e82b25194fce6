"""Screenshots of a scripted journey through the desktop app, for the README and the guide.

    bash scripts/screenshots.sh        (runs this under Xvfb)

A fresh data directory, the real main window at 1400 x 900: the sample table, the top view, a
selection with its rotation ring, a barrel stacked on a hill, the import preview, My tables,
the modular dungeon kit in the drawer, the sample dungeon in 3D and from the top, two tiles
snapping edge to edge, and the first-start tour.
Writes docs/screenshots/*.png.
"""

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"


def testdata_model() -> Path:
    """A real third-party part if the shared test data is beside the project, else one of
    our own sample meshes."""
    candidates = [REPO.parent / "shared" / "testdata", REPO.parent.parent / "shared" / "testdata"]
    if os.environ.get("TERRAIN_TESTDATA"):
        candidates.insert(0, Path(os.environ["TERRAIN_TESTDATA"]))
    for folder in candidates:
        part = folder / "openforge" / "of_low_wall_pool_three_quarter_diagonal.stl"
        if part.exists():
            return part
    return REPO / "resources" / "sample_library" / "ruined-tower.glb"


def main() -> None:
    os.environ["TERRAIN_DESKTOP_DATA"] = tempfile.mkdtemp(prefix="screenshots-")
    from terrain_desktop.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from terrain_desktop.app_data import ensure_sample_table, open_store
    from terrain_desktop.domain import commands
    from terrain_desktop.domain.catalogue import bundled_library
    from terrain_desktop.meshes import importer
    from terrain_desktop.scene import camera as turntable
    from terrain_desktop.ui.import_dialog import ImportDialog
    from terrain_desktop.ui.main_window import MainWindow

    library = {a.name: a for a in bundled_library().values()}
    store = open_store()
    ensure_sample_table(store)
    window = MainWindow(store)
    window.resize(1400, 900)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)
    tour = window.actions_.tour
    app.processEvents()
    tour.hide()  # shown on its own at the end

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
        window.viewport.render()
        app.processEvents()

    def shot(name: str, widget: object = window) -> None:
        settle()
        widget.grab().save(str(OUT / f"{name}.png"))  # type: ignore[attr-defined]
        print(f"wrote docs/screenshots/{name}.png")

    doc = window.doc
    assert doc is not None
    viewport = window.viewport

    # A second table first, so My tables has two with thumbnails.
    skirmish = window.editor.create_table("Skirmish", 1829, 1219)
    for name, x, y in (
        ("Small wood", 500, 400),
        ("Ruined tower", 900, 600),
        ("Steep hill", 1300, 800),
    ):
        window.editor.push(commands.place(window.doc, library[name], x, y))  # type: ignore[arg-type]
    window.doc.select(set())  # type: ignore[union-attr]
    window.viewport.show_3d(animate=False)
    settle()
    sample = next(t.id for t in store.tables() if t.id != skirmish)
    window.editor.open_table(sample)
    doc = window.doc
    assert doc is not None
    viewport.show_3d(animate=False)
    shot("01-sample-table")

    viewport.show_top(animate=False)
    shot("02-top-view")

    viewport.show_3d(animate=False)
    doc.select({"sample-farmhouse", "sample-crate-stack"})
    viewport.scene.hover("sample-barrel-cluster")
    shot("03-selection-ring")
    viewport.scene.hover(None)

    hill = doc.pieces["sample-rolling-hill"]
    for dx, dy in ((55, 15), (20, -15)):
        x, y = hill.x + dx, hill.y + dy
        window.editor.push(commands.place(doc, library["Barrel"], x, y))
    window.editor.push(commands.place(doc, library["Wooden crate"], hill.x - 10, hill.y + 5))
    small = {library["Barrel"].id, library["Wooden crate"].id}
    stacked = {p.id for p in doc.pieces.values() if p.asset_id in small}
    doc.select(stacked | {"sample-rolling-hill"})
    viewport.frame_selection(animate=False)
    doc.select(set())
    viewport.camera.show(
        turntable.zoom_towards(viewport.camera.view(), viewport.camera.view().focal, 0.6)
    )
    shot("04-stacked-on-a-hill")

    inspection = importer.inspect(testdata_model())
    dialog = ImportDialog(inspection, window)
    dialog.show()
    settle()
    shot("05-import-preview", dialog)
    dialog.reject()

    doc.select(set())
    viewport.show_3d(animate=False)
    settle()
    window.thumbnails.touched()
    window.thumbnails.save()
    window.tables_panel.show_tables(store, sample)
    shot("06-my-tables")

    # The modular kit and the sample dungeon built from it.
    window.actions_.sample_dungeon.trigger()
    doc = window.doc
    assert doc is not None
    window.drawer.category.setCurrentText("Modular dungeon")
    viewport.show_3d(animate=False)
    viewport.camera.show(turntable.zoom_towards(viewport.camera.view(), (305.0, 210.0, 0.0), 1.5))
    shot("08-modular-kit")
    viewport.show_top(animate=False)
    shot("09-sample-dungeon-top")

    # Two floor tiles clicking together: the second dragged near the first, edges lit.
    window.editor.open_table(skirmish)  # (the plan holds three tables: no fourth)
    doc = window.doc
    assert doc is not None
    window.actions_.snap.trigger()  # grid snapping off: edge snapping alone
    tile = library["Floor tile 2×4"]
    window.editor.push(commands.place(doc, tile, 250, 225))
    window.editor.push(commands.place(doc, library["Straight wall"], 250, 225 - 44.45))
    x, y = viewport.edges.place(tile, 250 + 50.8 + 4, 228, show=True)
    viewport.scene.show_ghost(tile, x, y, 0.0)
    viewport.show_3d(animate=False)
    doc.select(set())
    here = viewport.camera.view()
    viewport.camera.show(turntable.View((275.0, 235.0, 0.0), 430.0, here.azimuth, 50.0))
    window.show_message(viewport_hint(), 0)
    shot("10-edge-snapping")
    viewport.scene.hide_ghost()
    viewport.edges.clear()

    window.editor.open_table(sample)
    viewport.show_3d(animate=False)
    window.show_message("", 0)
    tour.start()
    shot("11-whats-this-tour")
    tour.hide()
    window.close()


def viewport_hint() -> str:
    from terrain_desktop.ui.edge_snapping import SNAPPED

    return SNAPPED


if __name__ == "__main__":
    main()
