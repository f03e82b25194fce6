"""Level-of-detail ladders kept on disk, so a start-up draws the table without rebuilding them.

Building a ladder means loading the mesh with trimesh, repairing it and simplifying it several
times: about a second for the sample library, more for real terrain, and all of it before the
first frame. The shaded tiers are saved once per mesh file (keyed by the file's size, time and
the budgets) and read back as plain arrays on later starts.
"""

import hashlib
import os
from pathlib import Path

import numpy as np
import pyvista as pv
from platformdirs import user_cache_dir

#: Bumped when the way tiers are built changes, so old files are not reused.
FORMAT = 1


def cache_dir() -> Path:
    """Beside the app's data when `TERRAIN_DESKTOP_DATA` sets it (tests, portable installs)."""
    data = os.environ.get("TERRAIN_DESKTOP_DATA")
    base = Path(data) / "cache" if data else Path(user_cache_dir("terrain-builder"))
    return base / "lod"


def _key(path: Path, budgets: tuple[int, ...]) -> str:
    stat = path.stat()
    text = f"{FORMAT}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{budgets}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def load(path: Path, budgets: tuple[int, ...]) -> list[pv.PolyData] | None:
    file = cache_dir() / f"{_key(path, budgets)}.npz"
    try:
        with np.load(file) as saved:
            count = int(saved["count"])
            return [
                _surface(saved[f"points{i}"], saved[f"faces{i}"], saved[f"normals{i}"])
                for i in range(count)
            ]
    except (OSError, KeyError, ValueError):  # not cached yet, or a damaged file: build again
        return None


def save(path: Path, budgets: tuple[int, ...], tiers: list[pv.PolyData]) -> None:
    folder = cache_dir()
    arrays: dict[str, np.ndarray] = {"count": np.asarray(len(tiers))}
    for i, tier in enumerate(tiers):
        arrays[f"points{i}"] = np.asarray(tier.points, dtype=np.float32)
        arrays[f"faces{i}"] = np.asarray(tier.faces)
        arrays[f"normals{i}"] = np.asarray(tier.point_data["Normals"], dtype=np.float32)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{_key(path, budgets)}.{os.getpid()}.tmp.npz"
        np.savez(partial, **arrays)  # type: ignore[arg-type]  # (stubs mistake keys for flags)
        partial.replace(folder / f"{_key(path, budgets)}.npz")
    except OSError:  # a read-only or full disk costs the next start-up time, nothing else
        return


def _surface(points: np.ndarray, faces: np.ndarray, normals: np.ndarray) -> pv.PolyData:
    surface = pv.PolyData(points, faces)
    surface.point_data["Normals"] = normals
    surface.point_data.active_normals_name = "Normals"
    return surface
