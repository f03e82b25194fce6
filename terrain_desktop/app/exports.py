"""What leaves the app as files: the print list (CSV) and a picture of a table (PNG)."""

import csv
from collections import Counter
from pathlib import Path

from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.document import TableDocument
from terrain_desktop.store.local_store import LocalStore

PRINT_LIST_HEADER = ["asset", "count", "width_mm", "depth_mm", "height_mm"]


def print_list(doc: TableDocument, catalogue: Catalogue) -> list[list[object]]:
    """One row per asset on the table: how many to print, and how big each is."""
    counts = Counter(p.asset_id for p in doc.pieces.values())
    rows: list[list[object]] = []
    for asset_id, count in sorted(counts.items()):
        asset = catalogue.get(asset_id)
        name = asset.name if asset else f"(unknown asset {asset_id})"
        size: tuple[object, ...] = asset.size_mm if asset else ("", "", "")
        rows.append([name, count, *size])
    return rows


def export_csv(doc: TableDocument, catalogue: Catalogue, path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PRINT_LIST_HEADER)
        writer.writerows(print_list(doc, catalogue))


def export_png(
    store: LocalStore,
    table_id: str,
    catalogue: Catalogue,
    path: Path,
    size: tuple[int, int] = (1600, 1200),
    top: bool = False,
) -> None:
    """A picture of a table without a window (off-screen rendering), as the CLI makes."""
    from terrain_desktop.render import render_table

    table = store.table(table_id)
    if table is None:
        raise LookupError(f"no table {table_id}")
    render_table(store, table, path, size, top, catalogue.get)


def export_table_csv(store: LocalStore, table_id: str, catalogue: Catalogue, path: Path) -> None:
    """The print list of a stored table (the CLI's `export --format csv`)."""
    export_csv(TableDocument(store, table_id, catalogue.get), catalogue, path)


def export_plan(store: LocalStore, table_id: str, catalogue: Catalogue, path: Path) -> int:
    """The build plan PDF with the default printer and zones, as File → Export build plan."""
    from terrain_desktop.app.planning import table_layout
    from terrain_desktop.planning.plan_pdf import export_build_plan
    from terrain_desktop.planning.printing import DEFAULT_PRINTER, PRINTERS

    layout = table_layout(store, table_id, catalogue.get)
    return export_build_plan(layout, path, PRINTERS[DEFAULT_PRINTER])


def export_mesh(
    store: LocalStore, table_id: str, catalogue: Catalogue, path: Path, file_type: str
) -> int:
    """The whole table as one 3D file, in millimetres: a GLB with one named node per piece
    (its asset's mesh shared, painted its colour; the mat a slab beneath; Y up, as glTF is), or
    one STL of every piece where it stands (Z up). Returns how many pieces it holds."""
    import trimesh

    from terrain_desktop.app.planning import table_layout
    from terrain_desktop.planning.scene_export import glb_bytes

    layout = table_layout(store, table_id, catalogue.get)
    if file_type == "stl":
        meshes = [piece.mesh.copy().apply_transform(piece.matrix()) for piece in layout.pieces]
        combined = trimesh.util.concatenate(meshes) if meshes else trimesh.Trimesh()
        combined.export(path, file_type="stl")
        return len(layout.pieces)
    path.write_bytes(glb_bytes(layout))
    return len(layout.pieces)


def export_uvtt(
    store: LocalStore,
    table_id: str,
    catalogue: Catalogue,
    path: Path,
    eye: float | None = None,
    pixels_per_grid: int | None = None,
) -> int:
    """A Universal VTT map of the table (`.dd2vtt`/`.uvtt`); returns how many walls it has."""
    from terrain_desktop.app.planning import table_layout
    from terrain_desktop.planning import uvtt
    from terrain_desktop.planning.sight import DEFAULT_EYE

    layout = table_layout(store, table_id, catalogue.get)
    return uvtt.write_uvtt(
        layout, path, eye or DEFAULT_EYE, pixels_per_grid or uvtt.DEFAULT_PIXELS_PER_GRID
    )


def export_tts(store: LocalStore, table_id: str, catalogue: Catalogue, path: Path) -> int:
    """A Tabletop Simulator saved object, its OBJ files beside it; returns its piece count."""
    from terrain_desktop.app.planning import table_layout
    from terrain_desktop.planning.tts import write_tts

    return write_tts(table_layout(store, table_id, catalogue.get), path)


def not_owned(store: LocalStore, table_id: str, catalogue: Catalogue) -> int:
    """How many of the table's pieces the user does not own: an export draws them from the
    catalogue's preview meshes (what this device has), never from the full model."""
    from terrain_desktop.app.print_plans import buy_first

    return sum(line.count for line in buy_first(store, table_id, catalogue))
