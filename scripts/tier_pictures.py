"""Pictures of every stored tier of a few models, side by side, to see what a ladder keeps.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/tier_pictures.py OUT.png

One row a model (the demo's Ruined tower and Crate stack, and the real OpenForge pieces the
shared test data holds: a Tudor wall and a cell wall), one picture a tier of its stored ladder
(`processing.Result.stored_ladder`), densest first, each framed on the whole model's bounds
and labelled with its triangles, "preview" for those anyone may download. Made for the change
that made tiers keep their shape (docs/screenshots/22-preview-tiers-*.png: run once on the
code before and once after).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Rows: a label and where the model is (the repository's sample library or the test data).
MODELS = [
    ("Ruined tower (demo)", ("sample", "ruined-tower.glb")),
    ("Crate stack (demo)", ("sample", "crate-stack.glb")),
    ("OpenForge Tudor wall", ("kit", "tudor_wall_1x1.stl")),
    ("OpenForge cell wall", ("kit", "cell_wall_1x4.stl")),
]
CELL = 190
COLUMNS = 8


def model_path(kind: str, name: str) -> Path:
    if kind == "sample":
        return REPO / "resources" / "sample_library" / name
    from tests.shared_testdata import openforge_kit

    return openforge_kit(name)


def main(out: Path) -> None:
    from PIL import Image, ImageDraw

    from terrain_meshes import processing, thumbnail
    from terrain_meshes.analysis import Units

    label_width, line = 170, 16
    sheet = Image.new("RGB", (label_width + COLUMNS * CELL, len(MODELS) * (CELL + 2 * line)))
    sheet.paste("white", (0, 0, *sheet.size))
    draw = ImageDraw.Draw(sheet)
    for row, (label, (kind, name)) in enumerate(MODELS):
        result = processing.process(model_path(kind, name), Units.MM)
        top = row * (CELL + 2 * line)
        draw.text((8, top + CELL // 2), label, fill="black")
        for column, tier in enumerate(result.stored_ladder()[:COLUMNS]):
            picture = thumbnail.image(tier.mesh, CELL, bounds=result.mesh.bounds)
            x = label_width + column * CELL
            sheet.paste(Image.fromarray(picture), (x, top))
            kind_label = "full" if tier.full else "preview" if tier.preview else "owners"
            draw.text((x + 6, top + CELL + 2), f"{tier.triangles:,} tri. ({kind_label})", "black")
        print(f"{label}: {[t.triangles for t in result.stored_ladder()]}", flush=True)
    sheet.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
