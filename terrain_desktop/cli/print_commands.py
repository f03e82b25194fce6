"""`print-plan`: the table's owned pieces on a printer's plates, one 3MF per plate."""

import argparse
import json
from pathlib import Path

from terrain_desktop.app_data import Catalogue
from terrain_desktop.cli import naming
from terrain_desktop.cli.naming import Refused
from terrain_desktop.planning.commands import bed_size, positive_mm
from terrain_desktop.planning.plates import DEFAULT_GAP
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS
from terrain_desktop.store.local_store import LocalStore


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    plan = sub.add_parser(
        "print-plan", help="lay the table's pieces out on printer plates (one 3MF per plate)"
    )
    plan.add_argument("table", help="the table's id or name")
    plan.add_argument("--printer", choices=sorted(PRINTERS), default=DEFAULT_PRINTER)
    plan.add_argument("--bed", type=bed_size, help="a custom bed, XxYxZ in mm (e.g. 220x220x250)")
    plan.add_argument("--gap", type=positive_mm, default=DEFAULT_GAP, help="mm between parts (5)")
    plan.add_argument("--out", type=Path, required=True, help="the folder for the plates")
    plan.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(store: LocalStore, catalogue: Catalogue, args: argparse.Namespace) -> int:
    from terrain_desktop.app.print_plans import make_print_plan

    table = naming.table(store, args.table)
    if args.out.exists() and not args.out.is_dir():
        raise Refused(f"{str(args.out)!r} is a file, not a folder")
    if not args.out.parent.is_dir():
        raise Refused(f"no folder {str(args.out.parent)!r} to make the plates folder in")
    printer = args.bed or PRINTERS[args.printer]
    result = make_print_plan(store, table.id, catalogue, printer, args.out, args.gap)
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print("\n".join(result.lines()))
    return 0
