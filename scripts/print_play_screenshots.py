"""Screenshots of the print plan and the virtual tabletop export for docs/screenshots/:
a plate of the sample table's print plan, and the Universal VTT picture with its walls drawn
over it. Needs no window (off-screen VTK):

.venv/bin/python scripts/print_play_screenshots.py
"""

import os
from pathlib import Path

import numpy as np
from PIL import ImageDraw

from terrain_desktop.app_data import SAMPLE_LAYOUT, asset_lookup
from terrain_desktop.domain.catalogue import sample_asset_id
from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import TableLayout, layout_from_placements
from terrain_desktop.planning.plates import plan_plates
from terrain_desktop.planning.printing import PRINTERS
from terrain_desktop.planning.uvtt import top_down, walls_mm

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def sample() -> TableLayout:
    placements = [
        {"id": slug, "modelId": sample_asset_id(slug), "x": x, "y": y, "rotation": r}
        for slug, x, y, r in SAMPLE_LAYOUT
    ]
    return layout_from_placements("Sample table", 1200, 900, placements, asset_lookup)


def plate_picture(table: TableLayout, out: Path) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    import pyvista as pv

    printer = PRINTERS["Prusa MK4"]
    plan = plan_plates(table, printer)
    plate = max(plan.plates, key=lambda p: len(p.parts))
    plotter = pv.Plotter(off_screen=True, window_size=[1400, 1000])
    plotter.set_background("#2b3036", top="#4a525c")
    bed = pv.Box((0, printer.x, 0, printer.y, -2, 0))
    plotter.add_mesh(bed, color="#30343a", specular=0.2)
    lines = [pv.Line((x, 0, 0.05), (x, printer.y, 0.05)) for x in range(0, int(printer.x) + 1, 50)]
    lines += [pv.Line((0, y, 0.05), (printer.x, y, 0.05)) for y in range(0, int(printer.y) + 1, 50)]
    for line in lines:
        plotter.add_mesh(line, color="#5a606a", line_width=1)
    for placed in plate.parts:
        mesh = placed.mesh()
        faces = np.column_stack([np.full(len(mesh.faces), 3), mesh.faces]).ravel()
        plotter.add_mesh(
            pv.PolyData(np.asarray(mesh.vertices), faces),
            color=placed.part.piece.colour,
            smooth_shading=False,
            specular=0.3,
        )
    plotter.camera_position = [
        (printer.x * 0.5, -printer.y * 1.05, printer.y * 1.35),
        (printer.x * 0.5, printer.y * 0.45, 10),
        (0, 0, 1),
    ]
    plotter.screenshot(str(out))
    plotter.close()
    print("wrote", out, f"(plate {plate.number}: {len(plate.parts)} parts)")


def vtt_picture(table: TableLayout, out: Path, ppg: int = 30) -> None:
    image = top_down(table, ppg)
    draw = ImageDraw.Draw(image)
    for line in walls_mm(table):
        points = [(x / MM_PER_INCH * ppg, (table.depth - y) / MM_PER_INCH * ppg) for x, y in line]
        draw.line(points, fill=(230, 40, 40), width=3)
    image.save(out)
    print("wrote", out)


if __name__ == "__main__":
    table = sample()
    plate_picture(table, OUT / "print-plan-plate.png")
    vtt_picture(table, OUT / "uvtt-walls.png")
