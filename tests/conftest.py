"""Fixtures shared by every test package: a real PostgreSQL server and fresh databases."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server import devdb, migrate
from server.db.engine import engine_for, session_factory
from server.db.models import Base
from server.settings import Settings
from tests.keyring_memory import MemoryKeyring

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """No test touches the real keyring; each gets an empty one of its own."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


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


@pytest.fixture(scope="session")
def engine(database_url: str) -> Engine:
    return engine_for(database_url)


@pytest.fixture
def clean_database(engine: Engine) -> Iterator[None]:
    """Each test starts from empty tables, whatever the previous one left."""
    yield
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture
def db(engine: Engine, clean_database: None) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        storage_dir=str(tmp_path / "storage"),
        **UNLIMITED,  # tests of the limits set their own
    )


#: Rate limits no test trips by accident (each app counts in its own memory).
UNLIMITED: dict[str, Any] = {
    "rate_limit_storage": None,
    "rate_limit_login_account": "1000000/minute",
    "rate_limit_login_address": "1000000/minute",
    "rate_limit_register_address": "1000000/minute",
    "rate_limit_session_address": "1000000/minute",
    "rate_limit_usage_owner": "1000000/minute",
}
