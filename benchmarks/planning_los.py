"""Line of sight over a 6 x 4 ft table dressed with 40 real-size OpenForge pieces, 1-inch cells.

Ours: `terrain_desktop.planning.sight.sight_map`, every pair of the 3,456 cells (5.97 million
segments) asked of Embree, including building its scene and finding where each eye stands.
Floor: brute force, exactly the same question in plain numpy: each segment against every
triangle (Möller–Trumbore) of every piece whose bounding box it meets, with the eyes found by
the same brute force. That is far slower, so it runs on a random sample of pairs; its time
for the whole map is extrapolated from the sample. Agreement is counted on the sample, and on
the sampled pairs whose segment passes over some piece's bounding box (the hard ones).

    .venv/bin/python benchmarks/planning_los.py [--runs 3] [--sample 4000] [--eye 30]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_table import dressed_table

from terrain_desktop.planning import raycast
from terrain_desktop.planning.layout import TableLayout
from terrain_desktop.planning.sight import CellGrid, sight_map


class BruteForce:
    """Segments against triangles, nothing cleverer than a bounding box per piece."""

    def __init__(self, table: TableLayout) -> None:
        self.pieces = []
        for piece in table.pieces:
            triangles = piece.vertices[np.asarray(piece.mesh.faces)]
            low, high = triangles.reshape(-1, 3).min(0), triangles.reshape(-1, 3).max(0)
            v0 = triangles[:, 0]
            self.pieces.append((low, high, v0, triangles[:, 1] - v0, triangles[:, 2] - v0))

    @staticmethod
    def _hits(origin: np.ndarray, direction: np.ndarray, piece: tuple) -> np.ndarray:
        """Parameters t (0..1 along `direction`) where the segment meets the piece's triangles."""
        _, _, v0, e1, e2 = piece
        p = np.cross(direction, e2)
        det = (e1 * p).sum(1)
        ok = np.abs(det) > 1e-12
        inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
        s = origin - v0
        u = (s * p).sum(1) * inv
        q = np.cross(s, e1)
        v = (direction * q).sum(axis=1) * inv
        t = (e2 * q).sum(1) * inv
        inside = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 1e-6) & (t < 1 - 1e-6)
        return t[inside]

    def surface(self, x: float, y: float) -> float:
        top = 0.0
        origin, down = np.array([x, y, 10_000.0]), np.array([0.0, 0.0, -20_000.0])
        for piece in self.pieces:
            low, high = piece[0], piece[1]
            if low[0] <= x <= high[0] and low[1] <= y <= high[1]:
                t = self._hits(origin, down, piece)
                if t.size:
                    top = max(top, 10_000.0 - 20_000.0 * float(t.min()))
        return top

    def crossed(self, a: np.ndarray, b: np.ndarray) -> list[tuple]:
        low, high = np.minimum(a, b), np.maximum(a, b)
        return [p for p in self.pieces if (p[0] <= high).all() and (low <= p[1]).all()]

    def blocked(self, a: np.ndarray, b: np.ndarray) -> bool:
        return any(self._hits(a, b - a, piece).size for piece in self.crossed(a, b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=4000, help="pairs for the brute force")
    parser.add_argument("--eye", type=float, default=30.0)
    args = parser.parse_args()

    table = dressed_table()
    triangles = sum(len(p.mesh.faces) for p in table.pieces)
    grid = CellGrid(table.width, table.depth)
    pairs = grid.count * (grid.count - 1) // 2
    print(
        f"table {table.width:.0f} x {table.depth:.0f} mm, {len(table.pieces)} pieces, "
        f"{triangles:,} triangles; {grid.columns} x {grid.rows} cells, {pairs:,} pairs"
    )

    times, sight = [], None
    for _ in range(args.runs):
        raycast._scenes.clear()  # each run from cold: per-asset scenes are built again
        start = time.perf_counter()
        sight = sight_map(table, eye=args.eye)
        times.append(time.perf_counter() - start)
    assert sight is not None

    rng = np.random.default_rng(1)
    first, second = np.triu_indices(grid.count, 1)
    chosen = rng.choice(pairs, size=min(args.sample, pairs), replace=False)
    brute = BruteForce(table)
    start = time.perf_counter()
    cells = np.unique(np.concatenate([first[chosen], second[chosen]]))
    eyes = {
        int(c): np.array([*grid.centres[c], brute.surface(*grid.centres[c]) + args.eye])
        for c in cells
    }
    eye_time = (time.perf_counter() - start) / len(cells) * grid.count
    start = time.perf_counter()
    exact = np.array([not brute.blocked(eyes[first[k]], eyes[second[k]]) for k in chosen])
    ray_time = (time.perf_counter() - start) / len(chosen) * pairs
    ours = sight.visible[first[chosen], second[chosen]]
    hard = np.array([bool(brute.crossed(eyes[first[k]], eyes[second[k]])) for k in chosen])
    eye_diff = max(abs(eyes[c][2] - sight.eyes[c][2]) for c in eyes)

    print()
    print(
        "| method | full map | pairs checked | agreement | agreement where a piece is in the way |"
    )
    print("|---|---:|---:|---:|---:|")
    print(
        f"| Embree (ours), min / median of {args.runs} | {min(times):.2f} s / "
        f"{statistics.median(times):.2f} s | {pairs:,} (all) | — | — |"
    )
    print(
        f"| brute force, numpy (extrapolated) | {eye_time + ray_time:,.0f} s | "
        f"{len(chosen):,} sampled | {(exact == ours).mean():.2%} | "
        f"{(exact[hard] == ours[hard]).mean():.2%} of {hard.sum():,} |"
    )
    print()
    print(
        f"speed-up {(eye_time + ray_time) / min(times):,.0f}x; visible pairs: ours "
        f"{ours.mean():.1%}, brute force {exact.mean():.1%}; largest eye-height difference "
        f"{eye_diff:.4f} mm; pairs that differ: {int((exact != ours).sum())}"
    )
    differ = int((exact != ours).sum())
    bound = (3.0 if differ == 0 else differ + 1.96 * differ**0.5) / len(chosen)
    print(
        f"with {differ} differences in {len(chosen):,} sampled pairs, disagreement over all "
        f"pairs is below {bound:.2%} (95% confidence)"
    )


if __name__ == "__main__":
    main()
