"""`new`, `import`, `add` and `export`: making and filling a table from a script.

Each is a thin call of the operations the window uses (`Editor`, the importer, the exports),
so a table made here is the same as one made by hand, and syncs the same way.
"""

import argparse
import json
import math
import re
from pathlib import Path

from terrain_desktop.app import preferences as prefs
from terrain_desktop.app.editor import Editor
from terrain_desktop.app.plans import PieceLimitReached
from terrain_desktop.app_data import Catalogue, data_dir
from terrain_desktop.cli import naming
from terrain_desktop.cli.naming import Refused
from terrain_desktop.domain import commands
from terrain_desktop.domain.piece import Piece
from terrain_desktop.domain.units import LengthUnit, from_display, to_display
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import DEFAULT_MAX_ASSETS
from terrain_protocol.tables import MAX_TABLE_MM, MIN_TABLE_MM

MM_PER = {"mm": 1.0, "cm": 10.0, "in": 25.4, "ft": 304.8}
#: Space left between the copies `add --count` lays out in a grid.
GRID_GAP_MM = 10.0
EXPORT_FORMATS = ("glb", "stl", "csv", "png", "pdf", "uvtt", "tts")


def table_size(text: str) -> tuple[int, int]:
    """ "6x4ft", "48x48in", "120x90cm" or "1200x900" (millimetres) as whole millimetres."""
    found = re.fullmatch(r"\s*([\d.]+)\s*x\s*([\d.]+)\s*(mm|cm|in|ft)?\s*", text.lower())
    if found is None:
        raise argparse.ArgumentTypeError("size must look like 6x4ft, 48x48in or 1200x900mm")
    factor = MM_PER[found.group(3) or "mm"]
    try:
        width, depth = (round(float(found.group(i)) * factor) for i in (1, 2))
    except ValueError:
        raise argparse.ArgumentTypeError("size must look like 6x4ft") from None
    for side in (width, depth):
        if not MIN_TABLE_MM <= side <= MAX_TABLE_MM:
            raise argparse.ArgumentTypeError(
                f"each side must be between {MIN_TABLE_MM} and {MAX_TABLE_MM} mm"
            )
    return width, depth


def point(text: str) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            "must look like X,Y in millimetres (e.g. 300,450)"
        ) from None
    if not all(math.isfinite(v) for v in (x, y)):
        raise argparse.ArgumentTypeError("must be finite numbers")
    return x, y


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if not 1 <= value <= DEFAULT_MAX_ASSETS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {DEFAULT_MAX_ASSETS}")
    return value


def pixels_per_inch(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of pixels") from None
    if not 10 <= value <= 400:
        raise argparse.ArgumentTypeError("must be between 10 and 400")
    return value


def eye_height(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of millimetres") from None
    if not 1 <= value <= 500:
        raise argparse.ArgumentTypeError("must be between 1 and 500 mm")
    return value


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    new = sub.add_parser("new", help="make a new table (prints its id)")
    new.add_argument("name", help="the table's name")
    new.add_argument(
        "--size", type=table_size, default=(1200, 900), help="e.g. 6x4ft, 44x30in, 1200x900mm"
    )
    new.add_argument("--json", action="store_true", help="print JSON instead of a line")
    new.add_argument("--units", choices=UNIT_CHOICES, help=UNITS_HELP)
    imp = sub.add_parser("import", help="import a model file (STL, OBJ, 3MF, GLB) as an asset")
    imp.add_argument("file", type=Path, help="the model file")
    imp.add_argument("--units", choices=["mm", "in", "auto"], default="auto")
    imp.add_argument("--name", help="the asset's name (default: from the file name)")
    imp.add_argument("--json", action="store_true", help="print JSON instead of a line")
    add = sub.add_parser("add", help="put pieces of an asset on a table")
    add.add_argument("table", help="the table's id or name")
    add.add_argument("asset", help="the asset's id or name")
    add.add_argument(
        "--at", type=point, help="X,Y from the table's corner, in --units (default: centre)"
    )
    add.add_argument("--rotate", type=float, default=0.0, help="degrees about the vertical")
    add.add_argument("--count", type=count, default=1, help="this many, laid out in a grid")
    add.add_argument(
        "--gap", type=float, help=f"space between copies in --units ({GRID_GAP_MM:g} mm; 0: tiles)"
    )
    add.add_argument("--json", action="store_true", help="print JSON instead of lines")
    add.add_argument("--units", choices=UNIT_CHOICES, help=UNITS_HELP)
    archive = sub.add_parser("archive", help="archive a table (it can be restored)")
    archive.add_argument("table", help="the table's id or name")
    restore = sub.add_parser("restore", help="bring back an archived table (see `tables`)")
    restore.add_argument("table", help="the archived table's id or name")
    exp = sub.add_parser("export", help="write a table to a file")
    exp.add_argument("table", help="the table's id or name")
    exp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exp.add_argument("--out", type=Path, required=True, help="the file to write")
    exp.add_argument(
        "--ppi", type=pixels_per_inch, help="uvtt: the picture's pixels per inch (grid square; 50)"
    )
    exp.add_argument("--eye", type=eye_height, help="uvtt: the eye height of its walls, mm (30)")


def list_tables(store: LocalStore, args: argparse.Namespace) -> int:
    tables = store.tables(include_archived=True)
    if args.json:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "width_mm": t.width,
                "depth_mm": t.depth,
                "archived": t.status == "archived",
                "sync_state": t.sync_state,
            }
            for t in tables
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for table in tables:
        archived = "  (archived)" if table.status == "archived" else ""
        print(f"{table.id}  {table.name}{archived}")
    return 0


UNIT_CHOICES = [u.value for u in LengthUnit]
UNITS_HELP = "lengths typed and printed in mm or in (default: the app's units setting)"


def units_of(editor: Editor, args: argparse.Namespace) -> LengthUnit:
    """--units, or the units setting the window uses (View ▸ Show inches)."""
    if args.units:
        return LengthUnit(args.units)
    return editor.preferences.get(prefs.LENGTH_UNIT)


def new(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    width, depth = args.size
    try:
        table_id = editor.create_table(args.name.strip() or "Untitled table", width, depth)
    except TableLimitReached as error:
        raise Refused(str(error)) from None
    unit = units_of(editor, args)
    name = args.name.strip() or "Untitled table"
    if args.json:
        print(json.dumps({"id": table_id, "name": name, "width_mm": width, "depth_mm": depth}))
        return 0
    w, d = to_display(width, unit), to_display(depth, unit)
    size = f"{w:.1f} x {d:.1f} in" if unit == LengthUnit.INCH else f"{width} x {depth} mm"
    print(f"{table_id}  {name}  ({size})")
    return 0


def archive(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    table = naming.table(store, args.table)
    if table.status == "archived":
        raise Refused(f"{table.name!r} is archived already")
    editor.archive_table(table.id)
    print(f"Archived {table.id}  {table.name} (restore it with `terrain-desktop restore`)")
    return 0


def restore(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    table = naming.table(store, args.table)
    if table.status != "archived":
        raise Refused(f"{table.name!r} is not archived")
    try:
        editor.restore_table(table.id)
    except TableLimitReached as error:
        raise Refused(str(error)) from None
    print(f"Restored {table.id}  {table.name}")
    return 0


def import_file(store: LocalStore, args: argparse.Namespace) -> int:
    from terrain_desktop.meshes import importer
    from terrain_meshes.analysis import Units
    from terrain_meshes.errors import MeshError

    UNITS = {"mm": Units.MM, "in": Units.INCH}

    if not args.file.is_file():
        raise Refused(f"no file {str(args.file)!r}")
    try:
        inspection = importer.inspect(args.file)
        units = inspection.guessed_units if args.units == "auto" else UNITS[args.units]
        name = (args.name or "").strip() or inspection.name
        asset = importer.import_model(store, inspection, units, name, data_dir() / "models")
    except MeshError as error:
        raise Refused(f"cannot import {args.file.name}: {error}") from None
    x, y, z = asset.size_mm
    if args.json:
        size = {"x_mm": round(x, 2), "y_mm": round(y, 2), "z_mm": round(z, 2)}
        print(json.dumps({"id": asset.id, "name": asset.name, "units": units.value, **size}))
    else:
        print(f"{asset.id}  {asset.name}  ({x:.0f} x {y:.0f} x {z:.0f} mm, {units.value})")
    return 0


def add(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    table = naming.table(store, args.table)
    asset = naming.asset(store, editor.catalogue, args.asset)
    editor.open_table(table.id)
    doc = editor.doc
    assert doc is not None
    try:
        editor.ensure_room(args.count)  # the window's rule: refused before anything changes
    except PieceLimitReached as limit:
        raise Refused(str(limit)) from None
    unit = units_of(editor, args)
    at = args.at and (from_display(args.at[0], unit), from_display(args.at[1], unit))
    centre = at or (table.width / 2, table.depth / 2)
    gap = GRID_GAP_MM if args.gap is None else from_display(args.gap, unit)
    spots = grid(centre, args.count, asset.size_mm, args.rotate, max(0.0, gap))
    pieces = [
        Piece(doc.new_piece_id(), asset.id, x, y, doc.resting_height(x, y), args.rotate % 360)
        for x, y in spots
    ]
    if asset.id not in store.library(table.id):
        store.add_library_asset(table.id, asset.id)
    if not editor.push(commands.AddPieces(doc, pieces, f"Add {asset.name}")):
        raise Refused("the pieces were not added")
    if args.json:
        placed = [
            {"id": p.id, "asset_id": asset.id, "x": p.x, "y": p.y, "rotation": p.rotation}
            for p in pieces
        ]
        print(json.dumps(placed))
        return 0
    for piece in pieces:
        x, y = (to_display(v, unit) for v in (piece.x, piece.y))
        where = f"{x:.2f},{y:.2f} in" if unit == LengthUnit.INCH else f"{x:.0f},{y:.0f}"
        print(f"{piece.id}  {asset.name}  at {where}")
    return 0


def grid(
    centre: tuple[float, float],
    n: int,
    size: tuple[float, float, float],
    rotation: float,
    gap: float = GRID_GAP_MM,
) -> list[tuple[float, float]]:
    """`n` spots in a near-square grid centred on `centre`, a piece's footprint plus `gap`
    apart (the footprint turned when the piece is)."""
    angle = math.radians(rotation)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    step_x = size[0] * cos + size[1] * sin + gap
    step_y = size[0] * sin + size[1] * cos + gap
    columns = math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    x0 = centre[0] - (columns - 1) * step_x / 2
    y0 = centre[1] - (rows - 1) * step_y / 2
    return [(x0 + (i % columns) * step_x, y0 + (i // columns) * step_y) for i in range(n)]


def export(store: LocalStore, catalogue: Catalogue, args: argparse.Namespace) -> int:
    from terrain_desktop.app import exports

    table = naming.table(store, args.table)
    if not args.out.parent.is_dir():
        raise Refused(f"no folder {str(args.out.parent)!r} to write into")
    if args.format == "png":
        exports.export_png(store, table.id, catalogue, args.out)
    elif args.format == "csv":
        exports.export_table_csv(store, table.id, catalogue, args.out)
    elif args.format == "pdf":
        exports.export_plan(store, table.id, catalogue, args.out)
    elif args.format == "uvtt":
        walls = exports.export_uvtt(store, table.id, catalogue, args.out, args.eye, args.ppi)
        print(f"Wrote {args.out} ({walls} walls)")
    elif args.format == "tts":
        pieces = exports.export_tts(store, table.id, catalogue, args.out)
        print(f"Wrote {args.out} ({pieces} pieces; models in {args.out.stem}_models/)")
    else:
        pieces = exports.export_mesh(store, table.id, catalogue, args.out, args.format)
        print(f"Wrote {args.out} ({pieces} pieces)")
    if args.format in ("glb", "stl", "uvtt", "tts"):
        previews = exports.not_owned(store, table.id, catalogue)
        if previews:
            print(f"{previews} pieces are not yours yet: drawn from catalogue previews")
        return 0
    print(f"Wrote {args.out}")
    return 0
