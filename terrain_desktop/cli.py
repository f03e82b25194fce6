"""`terrain-desktop`: the table editor, and commands that need no window."""

import argparse
import sys
from pathlib import Path

from terrain_desktop import __version__


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("size must look like 1600x1200") from None
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise argparse.ArgumentTypeError("each side must be between 16 and 8192 pixels")
    return width, height


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="terrain-desktop", description="Design tabletop game tables in 3D."
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command")
    commands.add_parser("tables", help="list the local tables (id and name, one a line)")
    render = commands.add_parser("render", help="render a table to a PNG without a window")
    render.add_argument("table", help="the table's id or name")
    render.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    render.add_argument("--size", type=_size, default=(1600, 1200), help="WxH in pixels")
    render.add_argument("--top", action="store_true", help="top-down view instead of 3D")
    from terrain_desktop.planning.commands import add_parsers

    add_parsers(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from terrain_desktop.app_data import ensure_sample_table, open_store

    if args.command is None:
        from terrain_desktop.ui.app import run

        return run()
    store = open_store()
    ensure_sample_table(store)
    if args.command == "tables":
        for table in store.tables(include_archived=True):
            archived = "  (archived)" if table.status == "archived" else ""
            print(f"{table.id}  {table.name}{archived}")
        return 0
    from terrain_desktop.render import find_table, render_table

    found = find_table(store, args.table)
    if found is None:
        sys.stderr.write(f"terrain-desktop: no table named or numbered {args.table!r}\n")
        return 1
    table = found
    if args.command in ("check", "los", "plan"):
        from terrain_desktop.app.planning import table_layout
        from terrain_desktop.app_data import Catalogue
        from terrain_desktop.planning import commands as planning

        return planning.run(args, table_layout(store, table.id, Catalogue(store).get))
    from terrain_desktop.app_data import Catalogue

    # Server assets are drawn from the mesh cache (placeholders where a mesh never came).
    render_table(store, table, args.out, args.size, args.top, Catalogue(store).get)
    print(f"Wrote {args.out} ({args.size[0]}x{args.size[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
