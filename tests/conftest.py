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
    "rate_limit_login_account_address": "1000000/minute",
    "rate_limit_login_address": "1000000/minute",
    "rate_limit_register_address": "1000000/minute",
    "rate_limit_session_address": "1000000/minute",
    "rate_limit_usage_owner": "1000000/minute",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto in server mode) for this run, with test credentials."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket on the local S3 server; its storage URL."""
    import uuid

    import boto3

    name = f"terrain-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return f"s3://{name}/files?endpoint={s3_endpoint}&region=us-east-1"
