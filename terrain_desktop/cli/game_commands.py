"""`symmetric` and `generate`: tables made fair for game night, from a script.

Both end in ordinary edits of ordinary tables (through the `Editor`, as the window makes them),
so the result can be undone, edited, synced and bought like any other table.
"""

import argparse
import json
from collections import Counter

from terrain_desktop.app.editor import Editor
from terrain_desktop.app_data import Catalogue
from terrain_desktop.cli import naming
from terrain_desktop.cli.naming import Refused
from terrain_desktop.cli.table_commands import table_size
from terrain_desktop.domain import commands
from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.piece import Piece
from terrain_desktop.planning.bases import Base, parse_base
from terrain_desktop.planning.checks import DEFAULT_GAP
from terrain_desktop.planning.symmetry import Symmetry, make_symmetric
from terrain_desktop.store.local_store import LocalStore, TableLimitReached
from terrain_protocol.plans import DEFAULT_MAX_ASSETS

MAX_CANDIDATES = 200


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
    add_generate_parser(sub)


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


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _candidates(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if not 1 <= value <= MAX_CANDIDATES:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_CANDIDATES}")
    return value


def _base(text: str) -> Base:
    try:
        return parse_base(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_generate_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    gen = sub.add_parser(
        "generate",
        help="make a new table: the best of several valid layouts of a kit, scored on sight",
    )
    gen.add_argument("--size", type=table_size, required=True, help="e.g. 44x60in, 6x4ft")
    gen.add_argument("--deployment", required=True, help="a deployment map (see `deployments`)")
    gen.add_argument(
        "--pieces",
        required=True,
        help="a table whose pieces to use, or a kit: 'Ruined wall:6,Boulder:4' (name or id:count)",
    )
    kind = gen.add_mutually_exclusive_group()
    kind.add_argument("--symmetric", action="store_true", help="point symmetry about the centre")
    kind.add_argument("--mirror", action="store_true", help="mirror symmetry about the long axis")
    gen.add_argument("--seed", type=_seed, default=1, help="same seed, same layouts (1)")
    gen.add_argument("--candidates", type=_candidates, default=20, help="layouts to try (20)")
    gen.add_argument("--pick", type=int, default=1, help="take the Nth best candidate (1)")
    gen.add_argument(
        "--base",
        type=_base,
        default=Base(DEFAULT_GAP, DEFAULT_GAP),
        help="the model base that must pass between pieces: 32mm round (default), 60x35mm oval",
    )
    gen.add_argument("--name", required=True, help="the new table's name")
    gen.add_argument("--json", action="store_true", help="print JSON instead of lines")


def _kit(store: LocalStore, catalogue: Catalogue, text: str) -> list[tuple[LibraryAsset, int]]:
    """The assets and counts `--pieces` names: a table's pieces, or a written kit."""
    try:
        source = naming.table(store, text)
    except Refused:
        source = None
    if source is not None:
        counts = Counter(str(p["modelId"]) for p in store.placements(source.id))
        found = [(catalogue.get(asset_id), n) for asset_id, n in sorted(counts.items())]
        kit = [(asset, n) for asset, n in found if asset is not None]
        if not kit:
            raise Refused(f"table {source.name!r} has no pieces this computer can draw")
        return kit
    kit = []
    for part in text.split(","):
        wanted, sep, number = part.strip().rpartition(":")
        if not sep or not number.strip().isdigit() or not wanted.strip():
            raise Refused(
                f"--pieces {text!r} is neither a table nor a kit like 'Ruined wall:6,Boulder:4'"
            )
        kit.append((naming.asset(store, catalogue, wanted.strip()), int(number)))
    return kit


def generate(store: LocalStore, editor: Editor, args: argparse.Namespace) -> int:
    from terrain_desktop.planning.deployments import deployment
    from terrain_desktop.planning.generator import KitItem, Settings
    from terrain_desktop.planning.generator import generate as make_candidates
    from terrain_desktop.planning.layout import MeshLoader

    width, depth = args.size
    try:
        plan = deployment(args.deployment, width, depth)
    except KeyError as error:
        raise Refused(str(error.args[0])) from None
    if not 1 <= args.pick <= args.candidates:
        raise Refused(f"--pick must be between 1 and --candidates ({args.candidates})")
    load = MeshLoader()
    items = []
    for asset, number in _kit(store, editor.catalogue, args.pieces):
        if not asset.mesh_path.exists():
            raise Refused(f"no mesh on this computer for {asset.name!r}; open it once online")
        items.append(KitItem(asset.id, asset.name, load(asset.mesh_path), number, asset.colour))
    if sum(i.count for i in items) > DEFAULT_MAX_ASSETS:
        raise Refused(f"a table holds at most {DEFAULT_MAX_ASSETS} pieces")
    mode = Symmetry.POINT if args.symmetric else Symmetry.MIRROR if args.mirror else None
    settings = Settings(gap=args.base.passes, symmetry=mode)
    found = make_candidates(
        args.name, width, depth, plan, items, args.seed, args.candidates, settings
    )
    chosen = found[args.pick - 1]
    try:
        table_id = editor.create_table(args.name.strip() or "Generated table", width, depth)
    except TableLimitReached as error:
        raise Refused(str(error)) from None
    doc = editor.doc
    assert doc is not None
    library = set(store.library(table_id))
    for item in items:
        if item.asset_id not in library:
            store.add_library_asset(table_id, item.asset_id)
    pieces = [
        Piece(doc.new_piece_id(), p.asset_id, p.x, p.y, 0.0, p.rotation % 360)
        for p in chosen.table.pieces
    ]
    editor.push(commands.AddPieces(doc, pieces, f"Generate ({plan.name}, seed {args.seed})"))
    report = {
        "id": table_id,
        "name": args.name,
        "deployment": plan.name,
        "seed": args.seed,
        "symmetry": mode.value if mode else None,
        "base": str(args.base),
        "gap_mm": args.base.passes,
        "candidate": chosen.number,
        "placed": len(pieces),
        "wanted": chosen.wanted,
        "score": chosen.score.as_dict(),
        "candidates": [{"candidate": c.number, **c.score.as_dict()} for c in found],
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{table_id}  {args.name}  ({width} x {depth} mm, {plan.name}, seed {args.seed})")
    print(
        f"candidate {chosen.number} of {len(found)}: {len(pieces)} of {chosen.wanted} pieces, "
        f"score {chosen.score.total:.3f}, balance {chosen.score.balance:.3f}, "
        f"{chosen.score.blocked:.0%} of sight lines blocked, "
        f"longest lane {chosen.score.longest_lane / 25.4:.0f} in"
    )
    return 0
