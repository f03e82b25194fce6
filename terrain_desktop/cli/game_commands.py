"""`symmetric` and `generate`: tables made fair for game night, from a script.

Both end in ordinary edits of ordinary tables (through the `Editor`, as the window makes them),
so the result can be undone, edited, synced and bought like any other table.
"""

import argparse
import json

from terrain_desktop.app.editor import Editor
from terrain_desktop.cli import naming
from terrain_desktop.cli.naming import Refused
from terrain_desktop.domain import commands
from terrain_desktop.planning.symmetry import Symmetry, make_symmetric
from terrain_desktop.store.local_store import LocalStore
from terrain_protocol.plans import DEFAULT_MAX_ASSETS


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sym = sub.add_parser(
        "symmetric",
        help="make a table symmetric: keep the first half's pieces and add their twins",
    )
    sym.add_argument("table", help="the table's id or name")
    kind = sym.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--point", action="store_true", help="point symmetry about the centre (tournaments)"
    )
    kind.add_argument("--mirror", action="store_true", help="mirror about the long axis")
    sym.add_argument("--json", action="store_true", help="print JSON instead of a line")


def symmetric(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    table = naming.table(store, args.table)
    mode = Symmetry.POINT if args.point else Symmetry.MIRROR
    editor.open_table(table.id)
    doc = editor.doc
    assert doc is not None
    pieces = list(doc.pieces.values())
    done = make_symmetric(pieces, table.width, table.depth, mode, doc.new_piece_id)
    total = len(pieces) - len(done.removed) + len(done.added)
    if total > DEFAULT_MAX_ASSETS:
        raise Refused(
            f"a table holds at most {DEFAULT_MAX_ASSETS} pieces; the symmetric "
            f"{table.name!r} would have {total}"
        )
    if done.removed:
        editor.push(commands.RemovePieces(doc, done.removed, "Make symmetric: drop far half"))
    if done.added:
        editor.push(commands.AddPieces(doc, done.added, "Make symmetric: add twins"))
    if args.json:
        print(
            json.dumps(
                {
                    "table": table.name,
                    "symmetry": mode.value,
                    "removed": done.removed,
                    "added": [p.id for p in done.added],
                    "pieces": total,
                }
            )
        )
    else:
        print(
            f"{table.name}: {mode.value}-symmetric, {len(done.removed)} pieces removed, "
            f"{len(done.added)} twins added ({total} pieces)"
        )
    return 0
