"""The table checks (overlaps, too close, off the table, floating) at 100 and 1,000 pieces:
pairs found through a spatial index (ours) beside every pair measured (the naive way, what the
checks did before).

    .venv/bin/python benchmarks/checks.py [--counts 100 1000] [--runs 3]

The table is the edits benchmark's: the bundled sample pieces on a grid over 1800 x 1200 mm,
crowded enough that many pairs overlap or stand too close. Both sides start from the same
footprints; the naive side measures the distance between every two of them, as the checks did
before, then the same findings follow from the pairs it keeps. Runs alternate, min and median.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from edits import TABLE, layout
from shapely.geometry.base import BaseGeometry

from terrain_desktop.app.planning import table_layout
from terrain_desktop.domain.catalogue import bundled_library
from terrain_desktop.planning.checks import DEFAULT_GAP, check_table
from terrain_desktop.planning.footprints import footprint
from terrain_desktop.planning.layout import MeshLoader, TableLayout
from terrain_desktop.store.local_store import LocalStore


def naive_pairs(table: TableLayout, gap: float) -> int:
    """Every two footprints' distance, as the checks measured them before the index."""
    shapes: list[BaseGeometry] = [footprint(p) for p in table.pieces]
    return sum(1 for a, b in combinations(shapes, 2) if a.distance(b) < gap)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    library = bundled_library()
    print(f"{'pieces':>7} {'findings':>9} {'ours min/median s':>19} {'naive min/median s':>20}")
    for count in args.counts:
        with tempfile.TemporaryDirectory() as folder:
            store = LocalStore(Path(folder) / "checks.sqlite")
            table_id = store.create_table("Bench", *TABLE, placements=layout(count))
            table = table_layout(store, table_id, library.get, MeshLoader())
        findings = len(check_table(table))  # warm: outlines and Embree scenes made once
        ours, naive = [], []
        for _ in range(args.runs):
            ours.append(timed(lambda t=table: check_table(t, DEFAULT_GAP)))
            naive.append(timed(lambda t=table: naive_pairs(t, DEFAULT_GAP)))
        print(
            f"{count:>7,} {findings:>9,} "
            f"{min(ours):>9.3f} / {statistics.median(ours):<7.3f} "
            f"{min(naive):>9.3f} / {statistics.median(naive):<7.3f}"
        )


if __name__ == "__main__":
    main()
