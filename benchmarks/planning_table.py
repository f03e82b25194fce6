"""A 6 x 4 ft table dressed with 40 real-size OpenForge pieces, for the planning benchmarks.

The STL files are third-party test data beside the project (`shared/testdata`), found through
`TERRAIN_TESTDATA` or next to the repository; they are not shipped with the product.
"""

import os
from pathlib import Path

import numpy as np
import trimesh

from terrain_desktop.domain.units import MM_PER_INCH
from terrain_desktop.planning.layout import PlacedPiece, TableLayout
from terrain_meshes.display import normalised

REPO = Path(__file__).resolve().parents[1]
KIT = {
    # file: how many of it stand on the table
    "openforge-kit/cell_wall_1x4.stl": 6,
    "openforge-kit/tudor_wall_1x1.stl": 5,
    "openforge-kit/arched_doorway.stl": 4,
    "openforge-kit/pillar.stl": 5,
    "openforge-kit/GothicArchShrine.stl": 2,
    "openforge-kit/corner_base_3x3.stl": 3,
    "openforge-kit/wall_base_3x2.stl": 3,
    "openforge-kit/gatehouse_door_1.stl": 2,
    "openforge/of_smooth_curved_3x3.stl": 4,
    "openforge/of_low_wall_pool_three_quarter_diagonal.stl": 3,
    "openforge/of_1x1-staggered_curved_line_top.stl": 2,
    "openforge/of_face_25.stl": 1,
}


def testdata() -> Path:
    candidates = [os.environ.get("TERRAIN_TESTDATA", "")]
    candidates += [
        str(REPO.parent / "shared/testdata"),
        str(REPO.parent.parent / "shared/testdata"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate, "openforge-kit").is_dir():
            return Path(candidate)
    raise SystemExit("test data not found: set TERRAIN_TESTDATA to the shared/testdata folder")


def dressed_table(seed: int = 16) -> TableLayout:
    """40 pieces at seeded random places and turns, none overlapping (by bounding circle)."""
    rng = np.random.default_rng(seed)
    width, depth = 72 * MM_PER_INCH, 48 * MM_PER_INCH
    root = testdata()
    placed: list[tuple[float, float, float]] = []
    pieces = []
    for name, count in KIT.items():
        mesh = normalised(trimesh.load(root / name, force="mesh"))
        radius = float(np.linalg.norm(mesh.extents[:2])) / 2
        for _ in range(count):
            while True:
                x = rng.uniform(radius + 5, width - radius - 5)
                y = rng.uniform(radius + 5, depth - radius - 5)
                if all(np.hypot(x - px, y - py) > radius + pr + 10 for px, py, pr in placed):
                    break
            placed.append((x, y, radius))
            pieces.append(
                PlacedPiece(
                    id=f"p{len(pieces) + 1:02d}",
                    asset_id=name,
                    name=Path(name).stem,
                    x=float(x),
                    y=float(y),
                    z=0.0,
                    rotation=float(rng.choice([0, 15, 30, 45, 60, 90, 135])),
                    scale=1.0,
                    mesh=mesh,
                )
            )
    return TableLayout("OpenForge 6x4", width, depth, tuple(pieces))
