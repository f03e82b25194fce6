"""Fixtures shared by every test package: a real PostgreSQL server and fresh databases."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from server import devdb, migrate

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pg_server() -> str:
    """A PostgreSQL server for this run; the run fails (never skips) when there is none."""
    try:
        return devdb.find_server(REPO_ROOT / ".pgdata")
    except devdb.NoPostgres as exc:
        pytest.fail(f"Server tests need PostgreSQL: {exc}")


@pytest.fixture
def empty_database(pg_server: str) -> Iterator[str]:
    """A brand-new database with nothing in it, dropped afterwards."""
    url = devdb.create_database(pg_server)
    yield url
    devdb.drop_database(url)


@pytest.fixture(scope="session")
def database_url(pg_server: str) -> Iterator[str]:
    """This run's database, migrated to head once; tests clean up after themselves."""
    url = devdb.create_database(pg_server)
    migrate.upgrade(url, lambda _: None)
    yield url
    devdb.drop_database(url)
