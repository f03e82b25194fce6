"""A stored table as the planning tools see it: what the window's docks, File → Export build
plan and the `check`/`los`/`plan` commands all start from."""

from collections.abc import Callable

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.planning.layout import MeshLoader, TableLayout, layout_from_placements
from terrain_desktop.store.local_store import LocalStore

Assets = Callable[[str], LibraryAsset | None]


def table_layout(
    store: LocalStore, table_id: str, assets: Assets, meshes: MeshLoader | None = None
) -> TableLayout:
    """A stored table as the planning tools see it (the store holds every edit made)."""
    table = store.table(table_id)
    if table is None:
        raise LookupError(f"no table {table_id!r}")
    return layout_from_placements(
        table.name, table.width, table.depth, store.placements(table_id), assets, meshes
    )
