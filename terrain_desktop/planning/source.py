"""A stored table as a planning layout."""

from collections.abc import Callable

from terrain_desktop.domain.catalogue import LibraryAsset
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.planning.layout import TableLayout, layout_from_placements
from terrain_desktop.store.local_store import LocalStore


def stored_layout(
    store: LocalStore, table: LocalTable, assets: Callable[[str], LibraryAsset | None]
) -> TableLayout:
    return layout_from_placements(
        table.name, table.width, table.depth, store.placements(table.id), assets
    )
