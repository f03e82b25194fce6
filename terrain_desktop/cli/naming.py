"""Naming tables and assets on the command line: by id, or by a name that picks exactly one.

A script that says `"Ruined wall"` must never get a different ruined wall than the one it
meant, so a name that fits several things is an error listing them, not a guess.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from terrain_desktop.app_data import Catalogue
from terrain_desktop.domain.catalogue import LibraryAsset, bundled_library
from terrain_desktop.domain.table import LocalTable
from terrain_desktop.store.local_store import LocalStore

T = TypeVar("T")


class Refused(Exception):
    """What the user asked for cannot be done; the message says why (exit code 1)."""


def pick(
    kind: str, wanted: str, items: Iterable[T], key: Callable[[T], str], name: Callable[[T], str]
) -> T:
    """The item whose id is `wanted`, else the only one whose name is `wanted` (any case)."""
    items = list(items)
    by_id = [i for i in items if key(i) == wanted]
    if by_id:
        return by_id[0]
    named = [i for i in items if name(i).casefold() == wanted.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if not named:
        raise Refused(f"no {kind} named or numbered {wanted!r}")
    listed = "\n".join(f"  {key(i)}  {name(i)}" for i in named)
    raise Refused(f"{len(named)} {kind}s are named {wanted!r}; name one by its id:\n{listed}")


def table(store: LocalStore, wanted: str) -> LocalTable:
    """A local table (archived ones too), by id or unique name."""
    tables = store.tables(include_archived=True)
    return pick("table", wanted, tables, lambda t: t.id, lambda t: t.name)


def asset(store: LocalStore, catalogue: Catalogue, wanted: str) -> LibraryAsset:
    """An asset this computer can draw: bundled, imported, or a catalogue asset it has seen."""
    known: dict[str, LibraryAsset] = dict(bundled_library())
    known.update(catalogue.imported)
    for table_ in store.tables(include_archived=True):
        for asset_id in store.library(table_.id):
            if asset_id not in known and (found := catalogue.get(asset_id)) is not None:
                known[asset_id] = found
    if wanted not in known and (found := catalogue.get(wanted)) is not None:
        known[wanted] = found
    return pick("asset", wanted, known.values(), lambda a: a.id, lambda a: a.name)
