"""`terrain-desktop`: the table editor, and commands that need no window.

Every command is a thin call of the operations the window uses. Exit codes: 0 done, 1 refused
or not everything synced (the reason on standard error), 2 a usage error.
"""

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
    from terrain_desktop.cli import account_commands, game_commands, print_commands, table_commands
    from terrain_desktop.planning.commands import add_parsers

    main = argparse.ArgumentParser(
        prog="terrain-desktop",
        description="Design tabletop game tables in 3D. Without a command, opens the window.",
        epilog="Exit codes: 0 done, 1 refused or not everything synced, 2 usage error. "
        "Tables and assets are named by id or by a name that fits only one.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    account_commands.add_parsers(commands)
    tables = commands.add_parser("tables", help="list the local tables (id and name, one a line)")
    tables.add_argument("--json", action="store_true", help="print JSON instead of lines")
    table_commands.add_parsers(commands)
    render = commands.add_parser("render", help="render a table to a PNG without a window")
    render.add_argument("table", help="the table's id or name")
    render.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    render.add_argument("--size", type=_size, default=(1600, 1200), help="WxH in pixels")
    render.add_argument("--top", action="store_true", help="top-down view instead of 3D")
    add_parsers(commands)
    print_commands.add_parsers(commands)
    game_commands.add_parsers(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        from terrain_desktop.ui.app import run

        return run()
    from terrain_desktop.cli.naming import Refused

    try:
        return _run(args)
    except Refused as error:
        sys.stderr.write(f"terrain-desktop: {error}\n")
        return 1


def _run(args: argparse.Namespace) -> int:
    from terrain_desktop.app_data import ensure_sample_table, open_store
    from terrain_desktop.cli import account_commands, naming, table_commands

    store = open_store()
    try:
        ensure_sample_table(store)
        account = {
            "login": account_commands.login,
            "logout": account_commands.logout,
            "status": account_commands.status,
            "sync": account_commands.sync,
        }
        if args.command in account:
            return account[args.command](store, args)
        if args.command == "tables":
            return table_commands.list_tables(store, args)
        if args.command == "deployments":
            from terrain_desktop.planning.commands import list_deployments

            return list_deployments(args)
        if args.command == "import":
            return table_commands.import_file(store, args)
        from terrain_desktop.app.shell import AppShell

        shell = AppShell(store)  # the operations the window uses, without a window
        catalogue = shell.catalogue
        if args.command in ("new", "add", "archive", "restore"):
            run = {
                "new": table_commands.new,
                "add": table_commands.add,
                "archive": table_commands.archive,
                "restore": table_commands.restore,
            }[args.command]
            return run(store, shell.editor, args)
        if args.command in ("symmetric", "generate"):
            from terrain_desktop.cli import game_commands

            run = game_commands.symmetric if args.command == "symmetric" else game_commands.generate
            return run(store, shell.editor, args)
        if args.command == "export":
            return table_commands.export(store, catalogue, args)
        if args.command == "print-plan":
            from terrain_desktop.cli import print_commands

            return print_commands.run(shell, args)
        table = naming.table(store, args.table)
        if args.command in ("check", "los", "plan"):
            from terrain_desktop.app.planning import table_layout
            from terrain_desktop.planning import commands as planning

            return planning.run(args, table_layout(store, table.id, catalogue.get))
        from terrain_desktop.render import render_table

        # Server assets are drawn from the mesh cache (placeholders where a mesh never came).
        render_table(store, table, args.out, args.size, args.top, catalogue.get)
        print(f"Wrote {args.out} ({args.size[0]}x{args.size[1]})")
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
