"""Server fixtures: the app on the run's database, a controllable clock, a client."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.app import create_app
from server.clock import ManualClock
from server.db.engine import engine_for, session_factory
from server.db.models import Base
from server.settings import Settings


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
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def app(settings: Settings, clock: ManualClock, clean_database: None) -> FastAPI:
    return create_app(settings, clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
