""" "Suggest one move" on the 6 x 4 ft planning table (40 real-size OpenForge pieces), Dawn of
War: every piece taller than the eye tried at 7 nearby poses, each scored on a 3-inch sight map.

    .venv/bin/python benchmarks/suggest.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_table import dressed_table

from terrain_desktop.planning.deployments import deployment
from terrain_desktop.planning.suggest import suggest_move


def main() -> None:
    table = dressed_table()
    plan = deployment("Dawn of War", table.width, table.depth)
    start = time.perf_counter()
    found = suggest_move(table, plan)
    took = time.perf_counter() - start
    print(f"{len(table.pieces)} pieces: {took:.1f} s; {found.describe() if found else 'no move'}")
    print("load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
