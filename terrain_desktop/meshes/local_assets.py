"""The user's imported models as library assets: kept apart from the importer, which loads
the mesh stack (trimesh, networkx: a second of start-up) that listing the library needs not."""

from pathlib import Path

from terrain_desktop.domain.catalogue import LibraryAsset

IMPORTED_COLOUR = "#b59f7e"


def local_asset(row: dict[str, object]) -> LibraryAsset:
    return LibraryAsset(
        id=str(row["id"]),
        name=str(row["name"]),
        category=str(row["category"]),
        tags=("imported",),
        size_mm=(float(row["size_x"]), float(row["size_y"]), float(row["size_z"])),  # type: ignore[arg-type]
        mesh_path=Path(str(row["mesh_path"])),
        thumbnail_path=Path(str(row["thumbnail_path"])),
        colour=IMPORTED_COLOUR,
        private=True,
    )
