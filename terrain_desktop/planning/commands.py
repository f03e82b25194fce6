"""`terrain-desktop check`, `los` and `plan`: the planning tools without a window."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from terrain_desktop.domain.units import MM_PER_INCH, LengthUnit, format_length
from terrain_desktop.planning.checks import DEFAULT_GAP, check_table
from terrain_desktop.planning.deployment_maps import MAPS
from terrain_desktop.planning.deployments import deployment, deployment_report
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.heatmap import heat_image
from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS, Printer
from terrain_desktop.planning.sight import DEFAULT_EYE, sight_map
from terrain_desktop.planning.suggest import suggest_move
from terrain_desktop.planning.zones import ZoneLayout, zone_outlines, zone_report


def positive_mm(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of millimetres") from None
    if not 0 < value <= 10_000:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 10000 mm")
    return value


def bed_size(text: str) -> Printer:
    try:
        x, y, z = (positive_mm(v) for v in text.lower().split("x"))
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError("must look like 220x220x250 (mm)") from None
    return Printer(f"custom bed {text}", x, y, z)


def _writable(text: str) -> Path:
    path = Path(text)
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no folder {str(path.parent)!r} to write into")
    return path


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = commands.add_parser(
        "check", help="list overlapping, off-table, floating and too-close pieces (exit 1 if any)"
    )
    check.add_argument("table", help="the table's id or name")
    check.add_argument("--gap", type=positive_mm, default=DEFAULT_GAP, help="base size in mm (32)")
    check.add_argument("--json", action="store_true", help="print JSON instead of lines")

    los = commands.add_parser("los", help="line-of-sight heat map and deployment-zone numbers")
    los.add_argument("table", help="the table's id or name")
    los.add_argument("--out", type=_writable, required=True, help="the PNG heat map to write")
    los.add_argument("--eye", type=positive_mm, default=DEFAULT_EYE, help="eye height in mm (30)")
    los.add_argument("--cell", type=positive_mm, default=MM_PER_INCH, help="cell size in mm (25.4)")
    los.add_argument(
        "--zones", choices=[z.value for z in ZoneLayout], default=ZoneLayout.LONG_EDGES.value
    )
    los.add_argument("--depth", type=positive_mm, help="zone depth in mm (12 in; diagonal: 9 in)")
    los.add_argument(
        "--deployment",
        help="a deployment map (see `deployments`): its zones and, per objective, who sees it",
    )
    los.add_argument(
        "--suggest",
        action="store_true",
        help="with --deployment: the one move or turn of a piece that most improves the balance",
    )
    los.add_argument("--json", action="store_true", help="print the numbers as JSON")

    commands.add_parser("deployments", help="list the deployment maps (one a line, its name first)")

    plan = commands.add_parser("plan", help="write a printable build plan (PDF)")
    plan.add_argument("table", help="the table's id or name")
    plan.add_argument("--out", type=_writable, required=True, help="the PDF to write")
    plan.add_argument("--units", choices=["mm", "in"], default="mm", help="setup card lengths")
    plan.add_argument("--printer", choices=sorted(PRINTERS), default=DEFAULT_PRINTER)
    plan.add_argument(
        "--bed", type=bed_size, help="a custom printer bed, XxYxZ in mm (e.g. 220x220x250)"
    )
    plan.add_argument(
        "--zones", choices=[z.value for z in ZoneLayout], default=ZoneLayout.LONG_EDGES.value
    )
    plan.add_argument("--depth", type=positive_mm, help="zone depth in mm")


def list_deployments(args: argparse.Namespace) -> int:
    """`deployments`: one map a line, its name first."""
    for data in MAPS:
        zones = len(data["zones"])
        objectives = len(data["objectives"])
        print(f"{data['name']}  ({data['game']}; {zones} zones, {objectives} objectives)")
    return 0


def run(args: argparse.Namespace, table: TableLayout) -> int:
    if args.command == "check":
        return _check(args, table)
    if args.command == "los":
        return _los(args, table)
    return _plan(args, table)


def _check(args: argparse.Namespace, table: TableLayout) -> int:
    findings = check_table(table, gap=args.gap)
    if args.json:
        print(json.dumps({"table": table.name, "findings": [f.as_dict() for f in findings]}))
    elif findings:
        for finding in findings:
            print(f"{finding.kind.value}: {finding.message}")
    else:
        print(f"{table.name}: no findings ({len(table.pieces)} pieces checked)")
    return 1 if findings else 0


def _los(args: argparse.Namespace, table: TableLayout) -> int:
    plan = None
    if args.suggest and not args.deployment:
        sys.stderr.write("terrain-desktop: --suggest needs --deployment\n")
        return 1
    if args.deployment:
        try:
            plan = deployment(args.deployment, table.width, table.depth)
        except KeyError as error:
            sys.stderr.write(f"terrain-desktop: {error.args[0]}\n")
            return 1
    sight = sight_map(table, eye=args.eye, cell=args.cell)
    layout = ZoneLayout(args.zones)
    report = zone_report(sight, layout, args.depth)
    zones = zone_outlines(layout, table.width, table.depth, report.depth)
    if plan is not None:
        zones = [[(float(x), float(y)) for x, y in zone.exterior.coords] for zone in plan.zones]
    markers = plan.objectives if plan is not None else ()
    image = heat_image(sight, [footprint(p) for p in table.pieces], zones, objectives=markers)
    image.save(args.out)
    numbers: dict[str, Any] = {
        "table": table.name,
        "eye_mm": args.eye,
        "cells": sight.grid.count,
        "mean_visible": round(float(sight.coverage.mean()), 4),
        "zones": report.as_dict(),
        "out": str(args.out),
    }
    if plan is not None:
        numbers["deployment"] = deployment_report(sight, plan)
    if plan is not None and args.suggest:
        found = suggest_move(table, plan)
        numbers["suggestion"] = found.as_dict() if found else None
    if args.json:
        print(json.dumps(numbers))
    else:
        print(
            f"Wrote {args.out} ({sight.grid.columns}x{sight.grid.rows} cells, eye {args.eye:g} mm)"
        )
        print(f"A cell sees {numbers['mean_visible']:.0%} of the table on average")
        if plan is not None:  # the map's zones replace the --zones layout's
            _print_deployment(numbers["deployment"])
        else:
            print(
                f"{layout.value}: first zone {report.first_seen_by_second:.0%} visible from "
                f"the second, second {report.second_seen_by_first:.0%} from the first; "
                f"{report.hidden_from_both:.0%} of the table hidden from both; "
                f"balance {report.balance:.2f}"
            )
        if "suggestion" in numbers:
            print(found.describe() if found else "No single move or turn improves the balance")
    return 0


def _print_deployment(found: dict[str, Any]) -> None:
    print(
        f"{found['deployment']}: first zone {found['first_zone_visible_from_second']:.0%} "
        f"visible from the second, second {found['second_zone_visible_from_first']:.0%} "
        f"from the first; balance {found['balance']:.2f}"
    )
    for number, objective in enumerate(found["objectives"], start=1):
        print(
            f"  objective {number} at {objective['x_mm']:.0f},{objective['y_mm']:.0f} mm: "
            f"seen from {objective['seen_from_first_zone']:.0%} of the first zone, "
            f"{objective['seen_from_second_zone']:.0%} of the second; "
            f"{objective['control_range_hidden']:.0%} of the sight lines to its control range "
            "blocked"
        )


def _plan(args: argparse.Namespace, table: TableLayout) -> int:
    from terrain_desktop.planning.plan_pdf import export_build_plan

    printer = args.bed or PRINTERS[args.printer]
    unit = LengthUnit(args.units)
    count = export_build_plan(table, args.out, printer, unit, ZoneLayout(args.zones), args.depth)
    size = f"{format_length(table.width, unit)} x {format_length(table.depth, unit)}"
    print(f"Wrote {args.out} ({size}, {count} pieces)")
    return 0
