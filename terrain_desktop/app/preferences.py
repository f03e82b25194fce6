"""The app's settings, one typed key each, kept in the local store's meta table.

A key knows its name, how to read and write its value and its default, so no caller spells a
settings string or parses a value by hand. Keys that belong to one table or one server are
made by the functions below.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from terrain_desktop.domain.units import LengthUnit
from terrain_protocol.plans import UserPlan

T = TypeVar("T")

CameraPosition = list[list[float]]


class MetaStore(Protocol):
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str | None) -> None: ...


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    default: T
    read: Callable[[str], T]
    write: Callable[[T], str | None]


def _text(name: str) -> Key[str | None]:
    return Key[str | None](name, None, str, lambda v: v)


def _json_list(name: str) -> Key[list[str]]:
    return Key[list[str]](name, [], lambda v: [str(i) for i in json.loads(v)], json.dumps)


LENGTH_UNIT = Key[LengthUnit]("length_unit", LengthUnit.MM, LengthUnit, lambda u: u.value)
LAST_TABLE = _text("last_table")
SERVER_URL = _text("server_url")
#: How big the cache of downloaded display meshes may grow; least recently used go first.
MESH_CACHE_LIMIT_MB = Key[int]("mesh_cache_limit_mb", 2048, int, str)
SAMPLE_TABLE_CREATED = Key[bool]("sample_table_created", False, bool, lambda v: "1" if v else None)
#: The "What's this" tour was dismissed for good (it shows on first start until then).
TOUR_DISMISSED = Key[bool]("tour_dismissed", False, bool, lambda v: "1" if v else None)


def recent_assets(table_id: str) -> Key[list[str]]:
    """Assets used lately on a table, latest first (the drawer shows them first)."""
    return _json_list(f"recent:{table_id}")


def saved_camera(table_id: str) -> Key[CameraPosition | None]:
    return Key[CameraPosition | None](
        f"camera:{table_id}", None, json.loads, lambda v: None if v is None else json.dumps(v)
    )


def account(server_url: str) -> Key[str | None]:
    """The user id signed in on that server (the token itself is in the OS keyring)."""
    return _text(f"account:{server_url}")


def account_email(server_url: str) -> Key[str | None]:
    return _text(f"account_email:{server_url}")


def account_plan(server_url: str) -> Key[UserPlan | None]:
    return Key[UserPlan | None](
        f"account_plan:{server_url}", None, UserPlan, lambda v: None if v is None else v.value
    )


class Preferences:
    def __init__(self, store: MetaStore) -> None:
        self.store = store

    def get(self, key: Key[T]) -> T:
        raw = self.store.get_meta(key.name)
        if raw is None:
            return key.default
        try:
            return key.read(raw)
        except ValueError:  # written by another version: the default is the safe reading
            return key.default

    def set(self, key: Key[T], value: T) -> None:
        self.store.set_meta(key.name, key.write(value))
