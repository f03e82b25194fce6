"""A pooled connection the database dropped while it sat idle is replaced, not handed out.

The engine checks a connection before use only when it has been idle a while
(`IDLE_PING_SECONDS`), instead of on every checkout; these tests hold that the dropped one is
still caught, and that a connection reused at once is handed out without the extra query.
"""

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from server.db import engine as engine_module
from server.db.engine import engine_for


@pytest.fixture
def fresh_engine(database_url: str) -> Iterator[Engine]:
    engine = engine_for.__wrapped__(database_url, pool_size=1)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(database_url: str, pid: int) -> None:
    raw = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(raw, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_dropped_while_idle_is_replaced(
    fresh_engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _backend_pid(fresh_engine)
    _terminate(database_url, pid)
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)  # it has been idle "long"

    assert _backend_pid(fresh_engine) != pid  # a new connection, and no error


def test_a_connection_reused_at_once_is_not_pinged(fresh_engine: Engine) -> None:
    _backend_pid(fresh_engine)
    sent: list[str] = []
    event.listen(fresh_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    pings: list[object] = []
    real_ping = fresh_engine.dialect.do_ping

    def counting_ping(dbapi: object) -> bool:
        pings.append(dbapi)
        return real_ping(dbapi)  # type: ignore[arg-type]

    fresh_engine.dialect.do_ping = counting_ping  # type: ignore[method-assign]

    _backend_pid(fresh_engine)

    assert pings == []
    assert len(sent) == 1
