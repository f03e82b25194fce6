"""`print-plan`: the table's owned pieces on a printer's plates, one 3MF per plate."""

import argparse
import json
from pathlib import Path

from terrain_desktop.app.shell import AppShell
from terrain_desktop.cli import naming
from terrain_desktop.cli.naming import Refused
from terrain_desktop.planning.commands import bed_size, positive_mm
from terrain_desktop.planning.plates import DEFAULT_GAP
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    plan = sub.add_parser(
        "print-plan", help="lay the table's pieces out on printer plates (one 3MF per plate)"
    )
    plan.add_argument("table", help="the table's id or name")
    plan.add_argument("--printer", choices=sorted(PRINTERS), default=DEFAULT_PRINTER)
    plan.add_argument("--bed", type=bed_size, help="a custom bed, XxYxZ in mm (e.g. 220x220x250)")
    plan.add_argument("--gap", type=positive_mm, default=DEFAULT_GAP, help="mm between parts (5)")
    plan.add_argument("--out", type=Path, required=True, help="the folder for the plates")
    plan.add_argument(
        "--add-to-cart",
        action="store_true",
        help="put the pieces to buy first in the cart (the window's Cart checks them out)",
    )
    plan.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(shell: AppShell, args: argparse.Namespace) -> int:
    from terrain_desktop.app.print_plans import add_to_cart, make_print_plan

    store, catalogue = shell.store, shell.catalogue
    table = naming.table(store, args.table)
    if args.out.exists() and not args.out.is_dir():
        raise Refused(f"{str(args.out)!r} is a file, not a folder")
    if not args.out.parent.is_dir():
        raise Refused(f"no folder {str(args.out.parent)!r} to make the plates folder in")
    printer = args.bed or PRINTERS[args.printer]
    result = make_print_plan(store, table.id, catalogue, printer, args.out, args.gap)
    summary = result.summary()
    added = add_to_cart(shell.shop.cart, result.buy_first) if args.add_to_cart else []
    if args.add_to_cart:
        summary["added_to_cart"] = added
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print("\n".join(result.lines()))
    if added:
        print(f"Put {len(added)} asset{'' if len(added) == 1 else 's'} in the cart")
    return 0
